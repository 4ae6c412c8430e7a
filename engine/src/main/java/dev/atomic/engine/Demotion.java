package dev.atomic.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Seed 002's tier rule: a Tier 1 component (one sharing a partition host process with others) that fails
 * {@value #LIMIT} times within {@link #WINDOW} is demoted to Tier 2, a sandboxed process of its own, for good. A pure
 * function of the failure times it is given, so that it is tested on a clock of the test's own.
 */
final class Demotion {
    static final int LIMIT = 3;
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final Deque<Long> failures = new ArrayDeque<>();
    private boolean demoted;

    /** Records a failure at {@code now} (nanoseconds); true when this one demotes it (once, never again after). */
    boolean failed(long now) {
        if (demoted) {
            return false;
        }
        failures.addLast(now);
        while (now - failures.peekFirst() > WINDOW.toNanos()) {
            failures.removeFirst();
        }
        demoted = failures.size() >= LIMIT;
        return demoted;
    }

    /** Demotes it now, whatever its failures: it had to be contained while it ran (a hang, a storm, a leak). */
    void now() {
        demoted = true;
    }

    boolean demoted() {
        return demoted;
    }

    /** What its fault report's action says on the failure that demotes it. */
    static String reason() {
        return "demoted to Tier 2 (it failed " + LIMIT + " times in " + WINDOW.toSeconds()
                + " s as a Tier 1 component): from now on it runs in a sandboxed process of its own";
    }

    /** What its fault report's action says when it is contained while it runs. */
    static String containedReason() {
        return "demoted to Tier 2 (a Tier 1 component that has to be cut off while it runs is too risky to share a "
                + "process): from now on it runs in a sandboxed process of its own";
    }
}
