package dev.atomic.component;

import java.time.Duration;

/**
 * When a component runs. At boot, for as long as Atomic runs; or on demand (a service only): not started until its
 * first request, frozen (its cgroup's freezer: no CPU at all) once no request has reached it for {@code freezeAfter},
 * and stopped once none has for {@code stopAfter}; the next request thaws or starts it again.
 */
public record Activation(Mode mode, Duration freezeAfter, Duration stopAfter) {
    public enum Mode {
        BOOT("boot"), ON_DEMAND("on-demand");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** The spelling in manifests. */
        public String word() {
            return word;
        }
    }

    static final Duration SHORTEST = Duration.ofMillis(100);
    static final Duration LONGEST = Duration.ofDays(1);
    public static final Duration DEFAULT_FREEZE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STOP = Duration.ofMinutes(10);
    public static final Activation BOOT = new Activation(Mode.BOOT, DEFAULT_FREEZE, DEFAULT_STOP);

    public Activation {
        String problem = timeoutProblem("freeze", freezeAfter);
        problem = problem != null ? problem : timeoutProblem("stop", stopAfter);
        problem = problem != null ? problem : orderProblem(freezeAfter, stopAfter);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** On demand, frozen after {@code freezeAfter} without a request, stopped after {@code stopAfter}. */
    public static Activation onDemand(Duration freezeAfter, Duration stopAfter) {
        return new Activation(Mode.ON_DEMAND, freezeAfter, stopAfter);
    }

    public boolean onDemand() {
        return mode == Mode.ON_DEMAND;
    }

    static String timeoutProblem(String which, Duration timeout) {
        return timeout.compareTo(SHORTEST) >= 0 && timeout.compareTo(LONGEST) <= 0 ? null
                : "an idle " + which + " timeout is 100ms to 24h, not " + timeout.toMillis() + "ms";
    }

    static String orderProblem(Duration freezeAfter, Duration stopAfter) {
        return stopAfter.compareTo(freezeAfter) > 0 ? null : "the stop timeout (" + stopAfter.toMillis()
                + "ms) must be longer than the freeze timeout (" + freezeAfter.toMillis()
                + "ms): a service is frozen first, stopped later";
    }
}
