package dev.atomic.policy.eval;

import dev.atomic.policy.traces.Scenario;

import java.util.List;
import java.util.Map;

/**
 * How one detector did on a set of traces: of the faulty traces, how many it detected in time (an alarm from the
 * fault's onset up to, not at, its failure) and how many it found only at or after the failure ({@code late}); the
 * lead of each it found, in seconds before the failure (0 or less when late); and how many alarms it raised on a
 * healthy component, or on a faulty one before its onset (false alarms).
 *
 * @param detectedBy   per fault scenario: [faults, detected]
 * @param falseAlarmsOn per scenario: false alarms raised on traces of it
 */
public record Outcome(String detector, int faults, int detected, int late, int falseAlarms, List<Double> leadSeconds,
                      Map<Scenario, int[]> detectedBy, Map<Scenario, Integer> falseAlarmsOn) {

    public double recall() {
        return faults == 0 ? 0 : (double) detected / faults;
    }

    /** Detected faults among all that it raised (a fault's repeated alarms count once); 0 when it raised none. */
    public double precision() {
        return detected + falseAlarms == 0 ? 0 : (double) detected / (detected + falseAlarms);
    }

    /** The median lead over the faults it found, in time or late, in seconds; NaN when it found none. */
    public double medianLead() {
        if (leadSeconds.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = leadSeconds.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
