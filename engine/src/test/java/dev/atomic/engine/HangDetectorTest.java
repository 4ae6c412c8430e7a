package dev.atomic.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Hangs judged on a clock of the test's own. */
class HangDetectorTest {
    private static final long MS = 1_000_000L;
    private static final long HANG_AFTER = 2_000 * MS;

    @Test
    void aHeartbeatThatStopsIsAHangOnceTheDeadlinePasses() {
        HangDetector d = new HangDetector();
        d.reset(0);
        long beat = 0;
        for (long t = 0; t <= 5_000 * MS; t += 100 * MS) {
            assertNull(d.check(t, ++beat, 0, 0, 0, HANG_AFTER), "beating at " + t / MS + " ms");
        }
        long stopped = 5_000 * MS;
        assertNull(d.check(stopped + HANG_AFTER, beat, 0, 0, 0, HANG_AFTER), "exactly at the deadline it is not yet");
        assertEquals("hung: no heartbeat for 2000.1 ms (its lane thread's count stuck at " + beat
                + "; judged after 2000.0 ms)", d.check(stopped + HANG_AFTER + 100_000, beat, 0, 0, 0, HANG_AFTER));
    }

    @Test
    void aSlowMethodAnsweredWithinItsDeadlineIsNoHang() {
        HangDetector d = new HangDetector();
        d.reset(0);
        for (long t = 0; t <= 10_000 * MS; t += 100 * MS) {
            assertNull(d.check(t, t + 1, 1, 0, 0, HANG_AFTER), "one call under way for " + t / MS + " ms");
        }
    }

    @Test
    void requestsTimingOutUnansweredAreAHangEvenWhileItBeats() {
        HangDetector d = new HangDetector();
        d.reset(0);
        assertNull(d.check(0, 1, 3, 0, 0, HANG_AFTER));
        assertNull(d.check(1_500 * MS, 2, 3, 0, 1_400 * MS, HANG_AFTER), "one timed out, but not 2 s without answers");
        assertNull(d.check(2_500 * MS, 3, 2, 1_600 * MS, 1_400 * MS, HANG_AFTER), "an answer after the time-out");
        assertNull(d.check(3_000 * MS, 4, 2, 1_600 * MS, 2_900 * MS, HANG_AFTER));
        assertEquals("hung: requests to it timed out unanswered and it answered none for 2100.0 ms (2 still pending; "
                + "judged after 2000.0 ms)", d.check(3_700 * MS, 5, 2, 1_600 * MS, 2_900 * MS, HANG_AFTER));
    }

    @Test
    void aComponentWithNothingPendingAndNoHeartbeatIsNeverJudged() {
        HangDetector d = new HangDetector();
        d.reset(0);
        assertNull(d.check(60_000 * MS, 0, 0, 0, 0, HANG_AFTER), "an executable image that never beats");
        assertNull(d.check(61_000 * MS, 0, 1, 0, 0, HANG_AFTER), "its request pending only since now");
    }
}
