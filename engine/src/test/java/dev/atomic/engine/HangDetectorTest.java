package dev.atomic.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hangs judged on a clock of the test's own. */
class HangDetectorTest {
    private static final long MS = 1_000_000L;
    private static final long HANG_AFTER = 2_000 * MS;
    private static final long PID = 42;

    @Test
    void aHeartbeatThatStopsIsAHangOnceTheDeadlinePasses() {
        HangDetector d = new HangDetector(HangDetector.NO_WAIT);
        d.reset(0);
        long beat = 0;
        for (long t = 0; t <= 5_000 * MS; t += 100 * MS) {
            assertNull(d.check(t, PID, ++beat, 0, 0, 0, HANG_AFTER), "beating at " + t / MS + " ms");
        }
        long stopped = 5_000 * MS;
        assertNull(d.check(stopped + HANG_AFTER, PID, beat, 0, 0, 0, HANG_AFTER), "exactly at the deadline it is not yet");
        assertEquals("hung: no heartbeat for 2000.1 ms (its lane thread's count stuck at " + beat
                + "; judged after 2000.0 ms)", d.check(stopped + HANG_AFTER + 100_000, PID, beat, 0, 0, 0, HANG_AFTER));
    }

    @Test
    void aSlowMethodAnsweredWithinItsDeadlineIsNoHang() {
        HangDetector d = new HangDetector(HangDetector.NO_WAIT);
        d.reset(0);
        for (long t = 0; t <= 10_000 * MS; t += 100 * MS) {
            assertNull(d.check(t, PID, t + 1, 1, 0, 0, HANG_AFTER), "one call under way for " + t / MS + " ms");
        }
    }

    @Test
    void requestsTimingOutUnansweredAreAHangEvenWhileItBeats() {
        HangDetector d = new HangDetector(HangDetector.NO_WAIT);
        d.reset(0);
        assertNull(d.check(0, PID, 1, 3, 0, 0, HANG_AFTER));
        assertNull(d.check(1_500 * MS, PID, 2, 3, 0, 1_400 * MS, HANG_AFTER), "one timed out, but not 2 s without answers");
        assertNull(d.check(2_500 * MS, PID, 3, 2, 1_600 * MS, 1_400 * MS, HANG_AFTER), "an answer after the time-out");
        assertNull(d.check(3_000 * MS, PID, 4, 2, 1_600 * MS, 2_900 * MS, HANG_AFTER));
        assertEquals("hung: requests to it timed out unanswered and it answered none for 2100.0 ms (2 still pending; "
                + "judged after 2000.0 ms)", d.check(3_700 * MS, PID, 5, 2, 1_600 * MS, 2_900 * MS, HANG_AFTER));
    }

    @Test
    void aComponentWithNothingPendingAndNoHeartbeatIsNeverJudged() {
        HangDetector d = new HangDetector(HangDetector.NO_WAIT);
        d.reset(0);
        assertNull(d.check(60_000 * MS, PID, 0, 0, 0, 0, HANG_AFTER), "an executable image that never beats");
        assertNull(d.check(61_000 * MS, PID, 0, 1, 0, 0, HANG_AFTER), "its request pending only since now");
    }

    @Test
    void aSilentComponentWaitingForACpuIsStarvedNotHungUntilItsGraceEnds() {
        long[] waited = {0};
        HangDetector d = new HangDetector(pid -> pid == PID ? waited[0] : -1);
        d.reset(0);
        assertNull(d.check(0, PID, 1, 0, 0, 0, HANG_AFTER));
        // Silent from 0; half its hangAfter on, the run-queue wait is marked; it waits for a CPU 80% of the time.
        for (long t = 100 * MS; t <= 3 * HANG_AFTER; t += 100 * MS) {
            waited[0] += t > HANG_AFTER / 2 ? 80 * MS : 0;
            assertNull(d.check(t, PID, 1, 0, 0, 0, HANG_AFTER), "starved at " + t / MS + " ms");
        }
        waited[0] += 80 * MS;
        assertEquals("hung: no heartbeat for 6100.0 ms (its lane thread's count stuck at 1; judged after 2000.0 ms; "
                + "its threads had waited 3920.0 ms for a CPU meanwhile, so it was given up to 3x that)",
                d.check(3 * HANG_AFTER + 100 * MS, PID, 1, 0, 0, 0, HANG_AFTER), "its grace is over");
    }

    @Test
    void aSilentComponentThatGetsTheCpuItWantsIsHungAtItsDeadline() {
        long[] waited = {0};
        HangDetector d = new HangDetector(pid -> waited[0]);
        d.reset(0);
        assertNull(d.check(0, PID, 1, 0, 0, 0, HANG_AFTER));
        for (long t = 100 * MS; t <= HANG_AFTER; t += 100 * MS) {
            waited[0] += 10 * MS; // a little waiting, as on any host
            assertNull(d.check(t, PID, 1, 0, 0, 0, HANG_AFTER));
        }
        waited[0] += 10 * MS;
        assertEquals("hung: no heartbeat for 2100.0 ms (its lane thread's count stuck at 1; judged after 2000.0 ms)",
                d.check(HANG_AFTER + 100 * MS, PID, 1, 0, 0, 0, HANG_AFTER));
    }

    @Test
    void theRunQueueWaitOfARealProcessIsRead() {
        assertTrue(Detectors.runQueueWaitNanos(ProcessHandle.current().pid()) >= 0);
        assertEquals(-1, Detectors.runQueueWaitNanos(Long.MAX_VALUE), "no such process");
    }
}
