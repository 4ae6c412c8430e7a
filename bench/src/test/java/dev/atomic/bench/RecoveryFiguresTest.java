package dev.atomic.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryFiguresTest {
    private static final RecoverySide SYSTEMD = new RecoverySide("systemd-style restart", List.of(400.0, 600.0, 500.0),
            null, null);

    @Test
    void p50sAreJudgedAgainstTheIssuesTargetsBesideTheSystemdBaseline() {
        RecoverySide warm = new RecoverySide("warm spare", List.of(8.0, 30.0, 4.0, 9.0), "4 of 4 through the spare", null);
        RecoverySide cold = new RecoverySide("cold restart", List.of(200.0, 160.0, 300.0), null, null,
                new AotStart(List.of(120.0, 100.0), List.of(300.0, 320.0), null));
        RecoverySide pidfd = new RecoverySide("warm spare, pidfd alone", List.of(20.0, 16.0, 40.0), null, null);
        List<Figure> figures = RecoveryFigures.build(warm, pidfd, cold, SYSTEMD);
        Figure w = figures.getFirst();
        assertEquals("recovery p50, warm spare", w.name());
        assertEquals(8.0, w.value(), "p50 of 4, 8, 9, 30 by nearest rank");
        assertEquals(500.0, w.baseline());
        assertEquals(0.016, w.ratio());
        assertTrue(w.met());
        assertTrue(w.note().contains("4 of 4 through the spare"), w.note());
        assertEquals(30.0, figures.get(1).value(), "max");
        Figure c = figures.get(2);
        assertEquals(200.0, c.value());
        assertFalse(c.met(), "200 ms misses the 150 ms target");
        assertEquals(300.0, figures.get(3).value());
        assertEquals(500.0, figures.get(4).value());
        assertNull(figures.get(4).met());
        assertEquals(600.0, figures.get(5).value());
        Figure aot = figures.get(6);
        assertEquals(100.0, aot.value(), "p50 of 100, 120 by nearest rank");
        assertEquals(300.0, aot.baseline());
        assertEquals(0.333, aot.ratio());
        assertNull(aot.met(), "for information: the issue sets no target for it");
        Figure lock = figures.get(7);
        assertEquals(8.0, lock.value());
        assertEquals(20.0, lock.baseline(), "p50 of 16, 20, 40");
        assertEquals(0.4, lock.ratio());
        assertNull(lock.met());
    }

    @Test
    void aSettingThatFailedSaysWhyAndIsNotJudged() {
        List<Figure> figures = RecoveryFigures.build(RecoverySide.none("warm spare", "failed: no bubblewrap"),
                RecoverySide.none("warm spare, pidfd alone", "failed: no bubblewrap"),
                new RecoverySide("cold restart", List.of(100.0), null, null), SYSTEMD);
        assertNull(figures.getFirst().value());
        assertNull(figures.getFirst().met());
        assertEquals("failed: no bubblewrap", figures.getFirst().note());
        assertTrue(figures.get(2).met());
        assertNull(figures.get(6).value());
        assertEquals("not measured", figures.get(6).note());
        assertNull(figures.get(7).ratio());
    }

    @Test
    void aKillsRecoveryIsTheFirstOutageThatEndsAfterIt() throws InterruptedException {
        List<String> lines = new ArrayList<>(List.of("100 150", "200 260"));
        Outages outages = new Outages(() -> List.copyOf(lines));
        assertEquals(OptionalLong.of(260), outages.endAfter(170, 0));
        assertEquals(OptionalLong.empty(), outages.endAfter(300, 0), "nothing ended after 300 yet");
        lines.add("310 400");
        assertEquals(OptionalLong.of(400), outages.endAfter(300, 0));
    }
}
