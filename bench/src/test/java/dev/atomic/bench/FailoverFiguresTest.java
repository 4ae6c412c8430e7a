package dev.atomic.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverFiguresTest {
    private static final FailoverLedger.Losses NONE_LOST = new FailoverLedger.Losses(1000, 990, 10, 0, 0, 0, 0, 0);

    @Test
    void theSovereignsLineIsReadWithItsStages() {
        Takeover t = Takeover.parse("12:00:00.000 sovereign failover: 9.4 ms from the last heartbeat of the old Engine "
                + "to the first message routed by the new one (death seen 4.0 ms after it, new Engine ready 3.2 ms "
                + "later, first message routed 2.2 ms after that)", false).orElseThrow();
        assertEquals(new Takeover(9.4, 4.0, 3.2, 2.2, false), t);
        assertTrue(Takeover.parse("12:00:00.000 sovereign the standby Engine (pid 7) is warm and waiting", false)
                .isEmpty());
    }

    @Test
    void theJudgedFiguresComeFirst() {
        List<Figure> figures = FailoverFigures.build(side(true, 5, 50, NONE_LOST), side(false, 600, 10, NONE_LOST));
        assertEquals(List.of(FailoverFigures.P50, FailoverFigures.MAX, FailoverFigures.LOST,
                FailoverFigures.WARM_VS_COLD), figures.subList(0, 4).stream().map(Figure::name).toList());
        Figure p50 = figures.get(0);
        assertEquals(29.0, p50.value(), "the 25th of 5, 6, ... 54 ms: nearest rank");
        assertTrue(p50.met() == false, p50.note());
        Figure max = figures.get(1);
        assertEquals(54.0, max.value());
        assertTrue(max.met());
        Figure lost = figures.get(2);
        assertEquals(0.0, lost.value());
        assertTrue(lost.met());
        Figure ratio = figures.get(3);
        assertEquals(604.0, ratio.baseline());
        assertEquals(0.048, ratio.ratio());
        assertNull(ratio.met(), "information: the issue sets no target for the ratio");
    }

    @Test
    void aLostMessageMissesTheTarget() {
        Figure lost = FailoverFigures.build(side(true, 1, 50, new FailoverLedger.Losses(1000, 990, 10, 1, 3, 0, 0, 0)),
                side(false, 600, 10, NONE_LOST)).get(2);
        assertEquals(4.0, lost.value());
        assertFalse(lost.met());
        assertTrue(lost.note().startsWith("4 messages, the target is 0"), lost.note());
    }

    @Test
    void aKillAfterWhichNothingWasRoutedCountsAsAtLeastTheSovereignsWait() {
        FailoverSide warm = new FailoverSide(true, side(true, 1, 10, NONE_LOST).takeovers(), 1, NONE_LOST, null);
        Figure max = FailoverFigures.build(warm, side(false, 600, 10, NONE_LOST)).get(1);
        assertEquals(1000.0, max.value());
        assertFalse(max.met());
        assertTrue(max.note().startsWith("at least: after 1 of 11 kill(s)"), max.note());
    }

    @Test
    void aFailedSettingIsNotJudgedAndSaysWhy() {
        List<Figure> figures = FailoverFigures.build(FailoverSide.none(true, "failed: boom"),
                side(false, 600, 10, NONE_LOST));
        for (Figure f : figures.subList(0, 3)) {
            assertNull(f.value(), f.name());
            assertNull(f.met(), f.name());
            assertEquals("failed: boom", f.note(), f.name());
        }
    }

    /** Failovers of {@code first}, {@code first + 1}, ... ms, one per kill. */
    private static FailoverSide side(boolean warm, int first, int kills, FailoverLedger.Losses losses) {
        return new FailoverSide(warm, IntStream.range(0, kills).mapToObj(i -> new Takeover(first + i, 1, 2,
                first + i - 3, false)).toList(), 0, losses, null);
    }
}
