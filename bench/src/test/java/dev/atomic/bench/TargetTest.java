package dev.atomic.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetTest {
    private final Target fastPath = Target.atMost(1.5, "floor p50");

    @Test
    void metWhenTheRatioIsWithinTheBound() {
        Figure f = fastPath.judge("fast p50", 4.0, "us", 10.0, null);
        assertTrue(f.met());
        assertEquals(0.4, f.ratio());
        assertEquals(10.0, f.baseline());
        assertEquals("<= 1.5x floor p50", f.target());
        assertEquals("0.4x, within the 1.5x target", f.note());
    }

    @Test
    void theBoundItselfIsMet() {
        assertTrue(fastPath.judge("fast p50", 15.0, "us", 10.0, null).met());
    }

    @Test
    void aMissSaysByHowMuch() {
        Figure f = fastPath.judge("fast p50", 19.0, "us", 10.0, null);
        assertFalse(f.met());
        assertEquals(1.9, f.ratio());
        assertEquals("1.9x, 27% over the 1.5x target", f.note());
    }

    @Test
    void aHairOverTheBoundIsStillReportedAsOver() {
        assertEquals("1.5x, 1% over the 1.5x target", fastPath.verdict(1.5001));
        assertEquals("2.0x, 100% over the 1.0x target", Target.atMost(1.0, "x").verdict(2.0));
    }

    @Test
    void nothingMeasuredMeansNoVerdict() {
        Figure f = fastPath.judge("fast p50", null, "us", 10.0, "not measured yet");
        assertNull(f.value());
        assertNull(f.ratio());
        assertNull(f.met());
        assertEquals("<= 1.5x floor p50", f.target());
        assertEquals("not measured yet", f.note());
    }

    @Test
    void noBaselineMeansNoVerdict() {
        Figure f = fastPath.judge("fast p50", 4.0, "us", null, null);
        assertEquals(4.0, f.value());
        assertNull(f.met());
        assertEquals("no baseline to compare with: floor p50 was not measured", f.note());
    }

    @Test
    void theReasonShowsInTheTargetText() {
        assertEquals("<= 3.0x floor (a CPU is reserved)", Target.atMost(3, "floor").because("a CPU is reserved").text());
    }

    @Test
    void anAbsoluteTargetIsJudgedAgainstItsBound() {
        Target bound = Target.absolute(100, "ms");
        Figure f = bound.judge("p99", 12.5, "ms", 99.0, null);
        assertTrue(f.met());
        assertNull(f.baseline(), "no baseline figure: the bound itself");
        assertNull(f.ratio());
        assertEquals("<= 100 ms", f.target());
        assertEquals("12.5 ms, within the 100 ms target", f.note());
        assertTrue(bound.judge("p99", 100.0, "ms", null, null).met(), "the bound itself is met");
    }

    @Test
    void anAbsoluteMissSaysByHowMuch() {
        Figure f = Target.absolute(100, "ms").judge("p99", 130.0, "ms", null, null);
        assertFalse(f.met());
        assertEquals("130 ms, 30% over the 100 ms target", f.note());
        assertEquals("100 ms, 1% over the 100 ms target", Target.absolute(100, "ms").absoluteVerdict(100.01));
    }

    @Test
    void anAbsoluteTargetMayBeZero() {
        Target none = Target.absolute(0, "messages");
        assertTrue(none.judge("lost", 0.0, "messages", null, null).met());
        Figure f = none.judge("lost", 3.0, "messages", null, null);
        assertFalse(f.met());
        assertEquals("3 messages, the target is 0", f.note());
        assertEquals("<= 0 messages", f.target());
        assertThrows(IllegalArgumentException.class, () -> Target.atMost(0, "x"), "a ratio of 0 means nothing");
        assertThrows(IllegalArgumentException.class, () -> Target.absolute(-1, "ms"));
    }

    @Test
    void anAbsoluteTargetWithNothingMeasuredHasNoVerdict() {
        Figure f = Target.absolute(100, "ms").judge("status p99", null, "ms", null, "not measured yet");
        assertNull(f.value());
        assertNull(f.met());
        assertEquals("<= 100 ms", f.target());
        assertEquals("not measured yet", f.note());
    }

    @Test
    void anAbsoluteTargetRefusesAFigureInAnotherUnit() {
        assertThrows(IllegalArgumentException.class, () -> Target.absolute(100, "ms").judge("p99", 5.0, "us", null, null));
        assertThrows(IllegalArgumentException.class, () -> new Target(1, "x", "ms", null), "relative or absolute");
        assertEquals("<= 0.5 s (why)", Target.absolute(0.5, "s").because("why").text());
    }

    @Test
    void aFloorIsMetFromAboveAndMoreThanIsStrict() {
        Figure higher = Target.moreThan(1, "baseline recall").judge("recall", 80.0, "%", 50.0, null);
        assertTrue(higher.met());
        assertEquals(1.6, higher.ratio());
        assertEquals("> 1.0x baseline recall", higher.target());
        assertEquals("1.6x, meets the > 1.0x target", higher.note());
        assertEquals("1.04x, meets the > 1.0x target", Target.moreThan(1, "b").judge("barely", 52.0, "%", 50.0,
                null).note(), "a ratio that rounds to the bound is shown to three digits");
        assertFalse(Target.moreThan(1, "b").judge("recall", 50.0, "%", 50.0, null).met(), "equal is not higher");
        assertTrue(Target.atLeast(1, "b").judge("precision", 50.0, "%", 50.0, null).met(), "equal is as good");
        Figure lower = Target.atLeast(1, "b").judge("precision", 40.0, "%", 50.0, null);
        assertFalse(lower.met());
        assertEquals("0.8x, short of the >= 1.0x target", lower.note());
    }

    @Test
    void aFloorAgainstABaselineOfZeroComparesTheValuesThemselves() {
        Figure f = Target.moreThan(1, "oomd recall").judge("recall", 100.0, "%", 0.0, null);
        assertTrue(f.met());
        assertNull(f.ratio());
        assertFalse(Target.moreThan(1, "oomd recall").judge("recall", 0.0, "%", 0.0, null).met());
        assertNull(Target.atMost(1, "x").judge("p50", 1.0, "ms", 0.0, null).met(), "a ceiling needs a baseline");
    }

    @Test
    void anAbsoluteFloor() {
        Target lead = Target.above(0, "s");
        assertTrue(lead.judge("lead", 5.5, "s", null, null).met());
        assertFalse(lead.judge("lead", 0.0, "s", null, null).met());
        assertEquals("0 s, short of the > 0 s target", lead.judge("lead", 0.0, "s", null, null).note());
        assertEquals("> 0 s", lead.text());
    }
}
