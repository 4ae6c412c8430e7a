package dev.atomic.policy.traces;

import dev.atomic.policy.Observation;

import java.util.List;

/**
 * One component's generated telemetry with its labels: the scenario, when the fault began to show ({@code onsetMillis},
 * the start of its precursor) and when the component failed ({@code failureMillis}); both -1 for a healthy one.
 */
public record Trace(String component, Scenario scenario, long onsetMillis, long failureMillis,
                    List<Observation> observations) {
    public Trace {
        observations = List.copyOf(observations);
    }

    /** Whether the component fails within {@code horizonMillis} after {@code timeMillis} (and had not yet failed). */
    public boolean failsWithin(long timeMillis, long horizonMillis) {
        return failureMillis >= 0 && timeMillis <= failureMillis && failureMillis - timeMillis <= horizonMillis;
    }
}
