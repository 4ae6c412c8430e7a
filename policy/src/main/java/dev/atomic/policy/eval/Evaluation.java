package dev.atomic.policy.eval;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.traces.Scenario;
import dev.atomic.policy.traces.Trace;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Replays traces through a detector (a policy, learned or a fixed threshold) one observation at a time, as the
 * Engine would feed it, and scores its alarms against the traces' labels. Any recommendation about a component is an
 * alarm; after one, the component's next {@link #REFRACTORY_MILLIS} are not judged (the Engine acted on it).
 * A fault is detected in time by an alarm from its onset up to (not at) its failure: a warning, with the time left
 * before the failure as its lead. An alarm at or after the failure is late: the fault is found, with a lead of 0 or
 * less, but not predicted; the built-in detectors are there for that. An alarm on a healthy component, or on a
 * faulty one before its onset, is false.
 */
public final class Evaluation {
    /** After an alarm, the time the Engine takes to act on it: further alarms meanwhile are the same one. */
    public static final long REFRACTORY_MILLIS = 30_000;

    private Evaluation() {
    }

    public static Outcome run(Policy detector, List<Trace> traces) {
        int faults = 0;
        int detected = 0;
        int falseAlarms = 0;
        int late = 0;
        List<Double> leads = new ArrayList<>();
        Map<Scenario, int[]> detectedBy = new EnumMap<>(Scenario.class);
        Map<Scenario, Integer> falseOn = new EnumMap<>(Scenario.class);
        for (Trace t : traces) {
            boolean faulty = t.failureMillis() >= 0;
            int[] d = detectedBy.computeIfAbsent(t.scenario(), s -> new int[2]);
            falseOn.putIfAbsent(t.scenario(), 0);
            if (faulty) {
                faults++;
                d[0]++;
            }
            boolean found = false;
            long quietUntil = Long.MIN_VALUE;
            for (Observation o : t.observations()) {
                detector.observe(o);
                Decision decision = detector.decide(o.timeMillis());
                boolean alarm = decision.recommendations().stream().map(Recommendation::component)
                        .anyMatch(t.component()::equals);
                if (!alarm || o.timeMillis() < quietUntil) {
                    continue;
                }
                quietUntil = o.timeMillis() + REFRACTORY_MILLIS;
                boolean inFault = faulty && o.timeMillis() >= t.onsetMillis()
                        && o.timeMillis() < t.failureMillis();
                if (faulty && o.timeMillis() >= t.failureMillis()) {
                    if (!found) {
                        found = true;
                        late++;
                        leads.add((t.failureMillis() - o.timeMillis()) / 1000.0);
                    }
                } else if (!inFault) {
                    falseAlarms++;
                    falseOn.merge(t.scenario(), 1, Integer::sum);
                } else if (!found) {
                    found = true;
                    detected++;
                    d[1]++;
                    leads.add((t.failureMillis() - o.timeMillis()) / 1000.0);
                }
            }
        }
        return new Outcome(detector.name(), faults, detected, late, falseAlarms, leads, detectedBy, falseOn);
    }
}
