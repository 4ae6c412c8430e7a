package dev.atomic.component;

import java.time.Duration;

/**
 * How the Engine watches a running component (docs/manifest.md): how often a checkpointed one hands over its state,
 * how often its health is asked, and how long it may go without a heartbeat, or with requests pending and none
 * answered, before it is judged hung. A zero duration turns that watch off.
 */
public record Watch(Duration checkpointEvery, Duration healthEvery, Duration hangAfter) {
    /** Failing health checks in a row that make a fault: one failing check is a blip. */
    public static final int FAILED_CHECKS = 3;
    static final Duration MIN = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofHours(1);
    public static final Watch DEFAULT = new Watch(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));

    public Watch {
        for (Duration d : new Duration[]{checkpointEvery, healthEvery, hangAfter}) {
            String problem = problem(d);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }

    static String problem(Duration d) {
        return d.isZero() || d.compareTo(MIN) >= 0 && d.compareTo(MAX) <= 0 ? null
                : "0 (off) or 100ms to 1h, not " + d.toMillis() + "ms";
    }
}
