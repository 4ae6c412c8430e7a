package dev.atomic.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Seed 002's tier rule: a Tier 1 component (one sharing a partition host process with others) that fails
 * {@value #LIMIT} times within {@link #WINDOW} is demoted to Tier 2, a sandboxed process of its own, for good. A pure
 * function of the failure times it is given, so that it is tested on a clock of the test's own.
 * <p>
 * Policy 5 may demote it too, planned ({@link #plan}: from its next start, which a planned restart brings), and lift
 * its own demotion the same way; never one the rule made, which stays for good.
 */
final class Demotion {
    static final int LIMIT = 3;
    static final Duration WINDOW = Duration.ofSeconds(60);

    private final Deque<Long> failures = new ArrayDeque<>();
    private boolean demoted;
    /** Demoted on a policy's word, not by the rule: liftable. */
    private boolean byPolicy;
    /** What its next start does: null nothing, TRUE demote it (a policy's word), FALSE lift the policy's demotion. */
    private Boolean planned;

    /**
     * Records a failure at {@code now} (nanoseconds); true when this one demotes it (once, never again after). One
     * that fails so while a policy has it demoted already stays demoted for good.
     */
    boolean failed(long now) {
        if (demoted && !byPolicy) {
            return false;
        }
        failures.addLast(now);
        while (now - failures.peekFirst() > WINDOW.toNanos()) {
            failures.removeFirst();
        }
        if (failures.size() < LIMIT) {
            return false;
        }
        boolean newly = !demoted;
        demoted = true;
        byPolicy = false;
        planned = null;
        return newly;
    }

    /** Demotes it now, whatever its failures: it had to be contained while it ran (a hang, a storm, a leak). */
    void now() {
        demoted = true;
        byPolicy = false;
        planned = null;
    }

    /**
     * A policy's word: demote it ({@code true}) or lift the policy's own demotion ({@code false}) at its next start
     * ({@link #starting}). False when there is nothing to do: a demotion the rule made is never lifted.
     */
    boolean plan(boolean demote) {
        if (demote ? demoted : !byPolicy) {
            return false;
        }
        planned = demote;
        return true;
    }

    /** Its Tier 1 is earned ({@code tier-earned}): it starts as a policy's demotion, which a promotion lifts. */
    void earning() {
        demoted = true;
        byPolicy = true;
    }

    /** A planned change waits for the next start. */
    boolean planned() {
        return planned != null;
    }

    /** It starts (again): a planned change takes effect. */
    void starting() {
        if (planned != null) {
            demoted = planned;
            byPolicy = planned;
            failures.clear();
            planned = null;
        }
    }

    boolean byPolicy() {
        return byPolicy;
    }

    boolean demoted() {
        return demoted;
    }

    /** Its state for the state mirror: 1 demoted, 2 by a policy, 4 a demotion planned, 8 a lifting planned. */
    int bits() {
        return (demoted ? 1 : 0) | (byPolicy ? 2 : 0) | (Boolean.TRUE.equals(planned) ? 4 : 0)
                | (Boolean.FALSE.equals(planned) ? 8 : 0);
    }

    /** As a predecessor's {@link #bits} say: an Engine taking over knows whose demotion it is, and what is planned. */
    void restore(int bits) {
        demoted = (bits & 1) != 0;
        byPolicy = (bits & 2) != 0;
        planned = (bits & 4) != 0 ? Boolean.TRUE : (bits & 8) != 0 ? Boolean.FALSE : null;
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
