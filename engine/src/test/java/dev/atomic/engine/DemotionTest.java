package dev.atomic.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tier rule on a clock of the test's own. */
class DemotionTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theThirdFailureWithinSixtySecondsDemotes() {
        Demotion d = new Demotion();
        assertFalse(d.failed(0));
        assertFalse(d.failed(30 * SECOND));
        assertTrue(d.failed(60 * SECOND));
        assertTrue(d.demoted());
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        Demotion d = new Demotion();
        assertFalse(d.failed(0));
        assertFalse(d.failed(40 * SECOND));
        assertFalse(d.failed(61 * SECOND), "the first failure is 61 s old: two in the window");
        assertFalse(d.demoted());
        assertTrue(d.failed(62 * SECOND));
    }

    @Test
    void aDemotionIsReportedOnceAndIsForGood() {
        Demotion d = new Demotion();
        d.failed(0);
        d.failed(1);
        assertTrue(d.failed(2));
        assertFalse(d.failed(3), "only the failure that demotes says so");
        assertFalse(d.failed(600 * SECOND));
        assertTrue(d.demoted());
    }
}
