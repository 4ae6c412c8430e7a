package dev.atomic.policy.sizing;

import dev.atomic.policy.Observation;
import dev.atomic.policy.PolicyRunner;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.traces.Trace;

import java.time.Duration;
import java.util.List;

/**
 * Replays traces through a sizing policy, through a {@link PolicyRunner} and a {@link TunableStore} as the Engine
 * would run it, and scores the sizes it set against the demand that came next. Judged are the healthy stretches
 * (healthy and noisy traces, faulty ones before their onset) after the warm-up: sizing is for normal behaviour.
 * Each tick's size is the one in force before the tick was seen. Memory over its limit is a kill (the component is
 * then not judged for {@link #RESTART_MILLIS}); CPU over its quota is a throttled tick. Without a policy
 * ({@code null}) every size stays at its ceiling: the manifest's limit, no CPU quota.
 */
public final class SizingEvaluation {
    /** After a kill, the time the component takes to come back: further excess meanwhile is the same kill. */
    static final long RESTART_MILLIS = 30_000;

    /**
     * @param kills            memory over its limit (at most one per restart)
     * @param killedComponents components killed at least once
     * @param unusedMemoryMiB  memory reserved but unused, mean per judged tick, MiB
     * @param throttled        ticks with CPU over its quota
     * @param unusedCpu        CPU reserved but unused, mean per judged tick, CPUs
     * @param ticks            ticks judged
     * @param components       components judged
     * @param faults           rounds in which the runner ignored the policy (it threw, stalled or went out of bounds)
     */
    public record Outcome(String policy, int kills, int killedComponents, double unusedMemoryMiB, int throttled,
                          double unusedCpu, long ticks, int components, int faults) {
        /** Throttled ticks per judged tick. */
        public double throttledShare() {
            return ticks == 0 ? 0 : (double) throttled / ticks;
        }
    }

    private SizingEvaluation() {
    }

    public static Outcome run(String name, Sizing policy, List<Trace> traces) {
        TunableStore store = new TunableStore();
        int kills = 0;
        int killed = 0;
        int throttled = 0;
        double unusedMemory = 0;
        double unusedCpu = 0;
        long ticks = 0;
        int[] faults = {0};
        try (PolicyRunner runner = new PolicyRunner(store, Duration.ofSeconds(5), f -> faults[0]++)) {
            if (policy != null) {
                runner.add(policy);
            }
            for (Trace t : traces) {
                long restartedAt = Long.MIN_VALUE;
                boolean wasKilled = false;
                List<Observation> obs = t.observations();
                for (int i = 0; i < obs.size(); i++) {
                    Observation o = obs.get(i);
                    if (i == 0) {
                        for (Measure m : Measure.values()) {
                            store.define(m.tunable(o));
                        }
                    }
                    boolean healthy = t.onsetMillis() < 0 || o.timeMillis() < t.onsetMillis();
                    if (healthy && i > Window.WARM_UP && o.timeMillis() >= restartedAt) {
                        ticks++;
                        double limit = store.value(Measure.MEMORY.tunableOf(o.component()), o.timeMillis());
                        double quota = store.value(Measure.CPU.tunableOf(o.component()), o.timeMillis());
                        unusedMemory += Math.max(0, limit - o.rssBytes()) / (1 << 20);
                        unusedCpu += Math.max(0, quota - o.cpu());
                        if (o.rssBytes() > limit) {
                            kills++;
                            killed += wasKilled ? 0 : 1;
                            wasKilled = true;
                            restartedAt = o.timeMillis() + RESTART_MILLIS;
                        }
                        throttled += o.cpu() > quota ? 1 : 0;
                    }
                    runner.round(o.timeMillis(), List.of(o));
                }
            }
        }
        return new Outcome(name, kills, killed, ticks == 0 ? 0 : unusedMemory / ticks, throttled,
                ticks == 0 ? 0 : unusedCpu / ticks, ticks, traces.size(), faults[0]);
    }
}
