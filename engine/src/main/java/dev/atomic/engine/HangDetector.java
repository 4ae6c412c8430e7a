package dev.atomic.engine;

import dev.atomic.component.Say;

import java.util.function.LongUnaryOperator;

/**
 * Judges one running component hung: its heartbeat (a count its lane thread bumps, docs/bridge-protocol.md) has not
 * moved for {@code hangAfter}; or requests to it went past their deadline unanswered and it has answered none for
 * that long since requests were pending. A slow method answered within its deadline is no hang. A component that
 * never beat (an executable image without a heartbeat) is judged on its requests alone.
 * <p>
 * A component whose threads spent at least half of that silence runnable, waiting for a CPU (the kernel's
 * per-thread run-queue wait, {@code /proc/<pid>/task/<tid>/schedstat}), is starved, not hung: on a loaded host it is
 * given up to {@link #STARVED_GRACE} times {@code hangAfter} before it is judged, and the evidence then says how long
 * it waited. Times are the caller's monotonic nanoseconds and the run-queue wait comes from the caller: tested
 * without a clock.
 */
final class HangDetector {
    /** How many times its {@code hangAfter} a starved component is given before it is judged anyway. */
    static final int STARVED_GRACE = 3;
    /** No run-queue wait known: judged on the silence alone. */
    static final LongUnaryOperator NO_WAIT = pid -> -1;

    private final LongUnaryOperator waitOf;
    private long beat;
    private long beatAt;
    private long pendingSince;
    /** Its threads' run-queue wait when half its silence had passed, and when; -1: not marked. */
    private long waitMark = -1;
    private long markAt;
    /** How long its threads waited for a CPU while it was silent and found starved. */
    private long starvedNanos;
    /** With a finding: how long the component had been hung when it was found (the time to detect). */
    long detectNanos;

    /** @param waitOf a process's threads' run-queue wait so far, in nanoseconds (-1: unknown) */
    HangDetector(LongUnaryOperator waitOf) {
        this.waitOf = waitOf;
    }

    /** A new incarnation, or one just seen ready: nothing observed yet. */
    void reset(long now) {
        beat = 0;
        beatAt = now;
        pendingSince = 0;
        waitMark = -1;
        starvedNanos = 0;
    }

    /**
     * @param pid        its process
     * @param heartbeat  its heartbeat count now
     * @param pending    requests to it in flight now
     * @param answeredAt when it last answered a request (0: never)
     * @param expiredAt  when a request to it last went past its deadline unanswered (0: never)
     * @return the evidence when it is hung, else null
     */
    String check(long now, long pid, long heartbeat, int pending, long answeredAt, long expiredAt, long hangAfter) {
        if (heartbeat != beat) {
            beat = heartbeat;
            beatAt = now;
        }
        long silentSince = heartbeat != 0 ? beatAt : now;
        boolean timedOut = expiredAt != 0 && expiredAt - answeredAt > 0;
        if (pending == 0 && !timedOut) {
            pendingSince = 0;
        } else if (pendingSince == 0) {
            pendingSince = now;
        }
        long progress = Math.max(pendingSince, answeredAt);
        if (timedOut) {
            silentSince = Math.min(silentSince, progress);
        }
        long silent = now - silentSince;
        if (silent <= hangAfter / 2) {
            waitMark = -1;
            starvedNanos = 0;
            return null;
        }
        if (waitMark < 0) {
            waitMark = waitOf.applyAsLong(pid);
            markAt = now;
        }
        if (silent <= hangAfter) {
            return null;
        }
        long waited = waitMark < 0 ? -1 : waitOf.applyAsLong(pid) - waitMark;
        if (waited >= 0 && 2 * waited >= now - markAt && silent <= STARVED_GRACE * hangAfter) {
            starvedNanos += waited;
            waitMark += waited;
            markAt = now;
            return null;
        }
        detectNanos = silent;
        String starved = starvedNanos == 0 ? "" : "; its threads had waited " + Say.millis(starvedNanos)
                + " for a CPU meanwhile, so it was given up to " + STARVED_GRACE + "x that";
        if (heartbeat != 0 && silentSince == beatAt) {
            return "hung: no heartbeat for " + Say.millis(silent) + " (its lane thread's count stuck at " + heartbeat
                    + "; judged after " + Say.millis(hangAfter) + starved + ")";
        }
        return "hung: requests to it timed out unanswered and it answered none for " + Say.millis(silent) + " ("
                + pending + " still pending; judged after " + Say.millis(hangAfter) + starved + ")";
    }
}
