package dev.atomic.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leaks judged from synthetic samples of resident memory, one a second. */
class LeakDetectorTest {
    private static final long S = 1_000_000_000L;
    private static final long MIB = 1 << 20;
    private static final long LIMIT = 192 * MIB;

    @Test
    void steadyGrowthDueAtTheLimitSoonIsALeakWithItsEvidence() {
        LeakDetector d = new LeakDetector();
        String verdict = null;
        int t = 0;
        for (; verdict == null && t < 60; t++) {
            verdict = d.sample(t * S, (60 + 5L * t) * MIB, LIMIT); // 5 MiB/s from 60 MiB
        }
        assertTrue(verdict != null, "a 5 MiB/s climb toward 192 MiB must be caught");
        // Judged once past half the limit and due within 20 s: 96 MiB + 5 MiB/s reaches 192 MiB in under 20 s.
        long rss = (60 + 5L * (t - 1));
        assertTrue(rss >= 96 && (192 - rss) / 5.0 <= LeakDetector.HORIZON_SECONDS, "judged at " + rss + " MiB");
        assertTrue(verdict.startsWith("leaking: resident memory " + rss + " MiB of its 192 MiB limit, growing 5.0 MiB/s"
                + " over the last 9.0 s (10 samples): at its limit in about"), verdict);
    }

    @Test
    void aFlatOrSawtoothFootprintIsNoLeak() {
        LeakDetector flat = new LeakDetector();
        LeakDetector saw = new LeakDetector();
        for (int t = 0; t < 60; t++) {
            assertNull(flat.sample(t * S, 150 * MIB, LIMIT));
            assertNull(saw.sample(t * S, (140 + (t % 3) * 10) * MIB, LIMIT), "a GC's sawtooth at " + t + " s");
        }
    }

    @Test
    void slowGrowthFarFromTheLimitIsNotJudgedYet() {
        LeakDetector d = new LeakDetector();
        for (int t = 0; t < 30; t++) {
            assertNull(d.sample(t * S, 100 * MIB + t * (MIB / 10), LIMIT), "0.1 MiB/s: over 15 minutes to go");
        }
    }
}
