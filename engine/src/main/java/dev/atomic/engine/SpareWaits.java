package dev.atomic.engine;

import java.util.concurrent.TimeUnit;

/**
 * Warm spares asked of the Sovereign ahead of a planned restart, per slot. The restart goes once the Sovereign
 * answered ({@code SPARE_READY}, whether or not it made one) or after {@link #WAIT_NANOS} without an answer: past
 * that it starts cold rather than wait. {@link ProactiveActions} and {@link TierActions} each keep their own, so
 * one's wait never ends the other's.
 */
final class SpareWaits {
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    /** Per slot: when the spare was asked for (0: none waited for), and whether the Sovereign answered. */
    private final long[] askedAt;
    private final boolean[] answered;

    SpareWaits(int members) {
        this.askedAt = new long[members];
        this.answered = new boolean[members];
    }

    /** Asks the Sovereign for a spare of {@code m} and starts waiting for its answer. */
    void ask(Member m, long now, Supervisor supervisor) {
        askedAt[m.slot] = now;
        answered[m.slot] = false;
        supervisor.prewarm(m);
    }

    boolean waiting(int slot) {
        return askedAt[slot] != 0;
    }

    /** Whether a planned restart of {@code slot} need wait no longer: the Sovereign answered, or too long went by. */
    boolean over(int slot, long now) {
        return answered[slot] || now - askedAt[slot] >= WAIT_NANOS;
    }

    void forget(int slot) {
        askedAt[slot] = 0;
    }

    /** The Sovereign's answer for {@code slot}; whether a spare of it was waited for here. */
    boolean answered(int slot) {
        if (slot < 0 || slot >= askedAt.length || askedAt[slot] == 0) {
            return false;
        }
        answered[slot] = true;
        return true;
    }
}
