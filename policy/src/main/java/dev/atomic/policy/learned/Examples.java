package dev.atomic.policy.learned;

import dev.atomic.policy.Observation;
import dev.atomic.policy.traces.Trace;

import java.util.ArrayList;
import java.util.List;

/** Each trace's ticks as features, with where they stand against the trace's labels: what models are fit on. */
record Examples(List<Tick> ticks) {
    /** One tick of one trace: its features, and whether the component was still healthy then. */
    record Tick(Trace trace, long timeMillis, double[] features) {
        boolean healthy() {
            return trace.onsetMillis() < 0 || timeMillis < trace.onsetMillis();
        }

        boolean failedAlready() {
            return trace.failureMillis() >= 0 && timeMillis > trace.failureMillis();
        }
    }

    static Examples of(List<Trace> traces) {
        List<Tick> ticks = new ArrayList<>();
        for (Trace t : traces) {
            Features f = new Features();
            for (Observation o : t.observations()) {
                double[] x = f.next(o);
                if (x != null) {
                    ticks.add(new Tick(t, o.timeMillis(), x));
                }
            }
        }
        return new Examples(ticks);
    }
}
