package dev.atomic.policy.sizing;

import dev.atomic.policy.Observation;
import dev.atomic.policy.PolicyRunner;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.traces.Trace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays traces through a sizing policy, through a {@link PolicyRunner} and a {@link TunableStore} as the Engine
 * would run it (the traces side by side, one round a second), and scores the sizes it set against the demand that came next. Judged are the healthy stretches
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
        /** How often the measure went over its size: kills for memory, throttled ticks for CPU. */
        public int over(Measure m) {
            return m == Measure.MEMORY ? kills : throttled;
        }

        /** What was reserved but unused, mean per judged tick: MiB of memory, CPUs. */
        public double unused(Measure m) {
            return m == Measure.MEMORY ? unusedMemoryMiB : unusedCpu;
        }

        /** Throttled ticks per judged tick. */
        public double throttledShare() {
            return ticks == 0 ? 0 : (double) throttled / ticks;
        }
    }

    private SizingEvaluation() {
    }

    public static Outcome run(String name, Sizing policy, List<Trace> traces) {
        TunableStore store = new TunableStore();
        Tally tally = new Tally();
        int[] faults = {0};
        int longest = traces.stream().mapToInt(t -> t.observations().size()).max().orElse(0);
        long[] restartedAt = new long[traces.size()];
        boolean[] killed = new boolean[traces.size()];
        try (PolicyRunner runner = new PolicyRunner(store, Duration.ofSeconds(5), f -> faults[0]++)) {
            if (policy != null) {
                runner.add(policy);
            }
            // The traces side by side, a round per second with every component's observation, as in the Engine.
            for (int i = 0; i < longest; i++) {
                List<Observation> fresh = new ArrayList<>();
                long now = 0;
                for (int k = 0; k < traces.size(); k++) {
                    Trace t = traces.get(k);
                    if (i >= t.observations().size()) {
                        continue;
                    }
                    Observation o = t.observations().get(i);
                    if (i == 0) {
                        restartedAt[k] = Long.MIN_VALUE;
                        for (Measure m : Measure.values()) {
                            store.define(m.tunable(o));
                        }
                    }
                    boolean healthy = t.onsetMillis() < 0 || o.timeMillis() < t.onsetMillis();
                    if (healthy && i > Window.WARM_UP && o.timeMillis() >= restartedAt[k]
                            && tally.judge(store, o, killed[k])) {
                        killed[k] = true;
                        restartedAt[k] = o.timeMillis() + RESTART_MILLIS;
                    }
                    fresh.add(o);
                    now = Math.max(now, o.timeMillis());
                }
                runner.round(now, fresh);
            }
        }
        return tally.outcome(name, traces.size(), faults[0]);
    }

    /** What the judged ticks came to. */
    private static final class Tally {
        int kills;
        int killed;
        int throttled;
        double unusedMemory;
        double unusedCpu;
        long ticks;

        /** Judges one tick against the sizes in force; returns whether it was a kill. */
        boolean judge(TunableStore store, Observation o, boolean killedBefore) {
            ticks++;
            double limit = store.value(Measure.MEMORY.tunableOf(o.component()), o.timeMillis());
            double quota = store.value(Measure.CPU.tunableOf(o.component()), o.timeMillis());
            unusedMemory += Math.max(0, limit - o.rssBytes()) / (1 << 20);
            unusedCpu += Math.max(0, quota - o.cpu());
            throttled += o.cpu() > quota ? 1 : 0;
            if (o.rssBytes() <= limit) {
                return false;
            }
            kills++;
            killed += killedBefore ? 0 : 1;
            return true;
        }

        Outcome outcome(String name, int components, int faults) {
            return new Outcome(name, kills, killed, ticks == 0 ? 0 : unusedMemory / ticks, throttled,
                    ticks == 0 ? 0 : unusedCpu / ticks, ticks, components, faults);
        }
    }
}
