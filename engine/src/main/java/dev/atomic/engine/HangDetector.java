package dev.atomic.engine;

import dev.atomic.component.Say;

/**
 * Judges one running component hung: its heartbeat (a count its lane thread bumps, docs/bridge-protocol.md) has not
 * moved for {@code hangAfter}; or requests to it went past their deadline unanswered and it has answered none for
 * that long since requests were pending. A slow method answered within its deadline is no hang. A component that
 * never beat (an executable image without a heartbeat) is judged on its requests alone. Times are the caller's
 * monotonic nanoseconds: tested without a clock.
 */
final class HangDetector {
    private long beat;
    private long beatAt;
    private long pendingSince;
    /** With a finding: how long the component had been hung when it was found (the time to detect). */
    long detectNanos;

    /** A new incarnation, or one just seen ready: nothing observed yet. */
    void reset(long now) {
        beat = 0;
        beatAt = now;
        pendingSince = 0;
    }

    /**
     * @param heartbeat  its heartbeat count now
     * @param pending    requests to it in flight now
     * @param answeredAt when it last answered a request (0: never)
     * @param expiredAt  when a request to it last went past its deadline unanswered (0: never)
     * @return the evidence when it is hung, else null
     */
    String check(long now, long heartbeat, int pending, long answeredAt, long expiredAt, long hangAfter) {
        if (heartbeat != beat) {
            beat = heartbeat;
            beatAt = now;
        } else if (heartbeat != 0 && now - beatAt > hangAfter) {
            detectNanos = now - beatAt;
            return "hung: no heartbeat for " + Say.millis(now - beatAt) + " (its lane thread's count stuck at "
                    + heartbeat + "; judged after " + Say.millis(hangAfter) + ")";
        }
        boolean timedOut = expiredAt != 0 && expiredAt - answeredAt > 0;
        if (pending == 0 && !timedOut) {
            pendingSince = 0;
            return null;
        }
        if (pendingSince == 0) {
            pendingSince = now;
        }
        long progress = Math.max(pendingSince, answeredAt);
        if (timedOut && now - progress > hangAfter) {
            detectNanos = now - progress;
            return "hung: requests to it timed out unanswered and it answered none for " + Say.millis(now - progress)
                    + " (" + pending + " still pending; judged after " + Say.millis(hangAfter) + ")";
        }
        return null;
    }
}
