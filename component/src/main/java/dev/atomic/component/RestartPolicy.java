package dev.atomic.component;

import java.time.Duration;

/**
 * When the Engine starts a failed component again: on any exit it did not ask for, or never; how often before it
 * gives up on it (more than {@code limit} failures within {@code window}, Erlang/OTP's restart intensity); and how
 * long it waits first, backing off as failures repeat (systemd's RestartSec and RestartMaxDelaySec): the first restart
 * in a window after {@code firstDelay}, the next after {@link #STEP} or the first delay if longer, each later one twice
 * the one before, never more than {@code maxDelay}.
 *
 * @param spare whether the Sovereign keeps a warm spare host process for it, which becomes the component when it is
 *              started again, saving a JVM's start-up (it costs the spare's memory, in the component's own cgroup)
 */
public record RestartPolicy(Mode mode, int limit, Duration window, Duration firstDelay, Duration maxDelay,
                            boolean spare) {
    public enum Mode {
        ON_FAILURE("on-failure"), NEVER("never");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** The spelling in manifests. */
        public String word() {
            return word;
        }
    }

    static final int MAX_LIMIT = 1000;
    static final Duration MAX_WINDOW = Duration.ofHours(1);
    /** The second restart's delay when the first was shorter: doubling from nothing would stay at nothing. */
    public static final Duration STEP = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofMinutes(10);
    /** A single crash restarts at once; a crash loop backs off to 10 s between restarts. */
    static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(10);
    /** At most 5 restarts in 30 s: Atomic's default since its first boot; the first at once, then backing off. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Mode.ON_FAILURE, 5, Duration.ofSeconds(30));

    public RestartPolicy {
        String problem = limitProblem(limit) != null ? limitProblem(limit) : windowProblem(window);
        problem = problem != null ? problem : delaysProblem(firstDelay, maxDelay);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** No warm spare. */
    public RestartPolicy(Mode mode, int limit, Duration window, Duration firstDelay, Duration maxDelay) {
        this(mode, limit, window, firstDelay, maxDelay, false);
    }

    /** The default delays: the first restart at once, backing off to at most 10 s. */
    public RestartPolicy(Mode mode, int limit, Duration window) {
        this(mode, limit, window, Duration.ZERO, DEFAULT_MAX_DELAY);
    }

    /**
     * How long to wait before the {@code n}-th restart within the window (n ≥ 1): the first delay, then
     * {@code max(firstDelay, STEP)}, doubling, capped at the maximum delay.
     */
    public Duration delayBefore(int n) {
        if (n <= 1) {
            return firstDelay;
        }
        long step = Math.max(firstDelay.toNanos(), STEP.toNanos());
        int doublings = Math.min(n - 2, 40); // past 2^40 every delay is capped anyway
        long delay = step > maxDelay.toNanos() >> doublings ? maxDelay.toNanos() : step << doublings;
        return Duration.ofNanos(Math.min(delay, maxDelay.toNanos()));
    }

    static String delaysProblem(Duration first, Duration max) {
        if (first.isNegative() || first.compareTo(MAX_DELAY) > 0) {
            return "a first delay is 0 to 10m, not " + first.toMillis() + "ms";
        }
        if (max.compareTo(MAX_DELAY) > 0) {
            return "a maximum delay is at most 10m, not " + max.toMillis() + "ms";
        }
        return max.compareTo(first) < 0 ? "the maximum delay (" + max.toMillis() + "ms) is shorter than the first ("
                + first.toMillis() + "ms)" : null;
    }

    static String limitProblem(long limit) {
        return limit >= 0 && limit <= MAX_LIMIT ? null : "a restart limit is 0 to " + MAX_LIMIT + ", not " + limit;
    }

    static String windowProblem(Duration window) {
        return window.compareTo(Duration.ofSeconds(1)) >= 0 && window.compareTo(MAX_WINDOW) <= 0 ? null
                : "a restart window is 1s to 1h, not " + window.toMillis() + "ms";
    }
}
