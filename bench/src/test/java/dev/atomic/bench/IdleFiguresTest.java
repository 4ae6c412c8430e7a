package dev.atomic.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleFiguresTest {
    private static IdleFigures.Measured measured(long onDemandNanos, List<Double> fromFrozen) {
        return new IdleFigures.Measured(Duration.ofSeconds(60), onDemandNanos, 2_340_000_000L, fromFrozen,
                List.of(0.5, 0.7), List.of(900.0, 700.0, 800.0), List.of(0.2, 0.4, 0.3), null, null);
    }

    @Test
    void zeroTicksFrozenMeetsItsTargetBesideTheAlwaysRunningBaseline() {
        List<Figure> figures = IdleFigures.build(measured(0, List.of(1.0, 3.0, 2.0, 9.0)));
        Figure cpu = figures.getFirst();
        assertEquals("CPU used by 20 idle services over 60 s, on demand (frozen)", cpu.name());
        assertEquals(0.0, cpu.value());
        assertEquals("ticks", cpu.unit());
        assertEquals(234.0, cpu.baseline(), "2.34 s of CPU is 234 ticks of 10 ms");
        assertEquals(0.0, cpu.ratio());
        assertTrue(cpu.met());
        assertEquals(234.0, figures.get(1).value());

        Figure frozen = figures.get(2);
        assertEquals(2.0, frozen.value(), "p50 of 1, 2, 3, 9 by nearest rank");
        assertEquals(0.3, frozen.baseline());
        assertEquals(6.67, frozen.ratio());
        assertTrue(frozen.met());
        assertEquals(9.0, figures.get(3).value(), "p90");
        assertEquals(0.5, figures.get(4).value(), "thaw p50");
        assertEquals(800.0, figures.get(5).value());
        assertEquals("3 trials", figures.get(5).note());
    }

    @Test
    void aSingleTickOrASlowThawMissesAndAFailedBootSaysWhy() {
        List<Figure> figures = IdleFigures.build(measured(10_000_000, List.of(6.0)));
        assertEquals(1.0, figures.getFirst().value());
        assertFalse(figures.getFirst().met());
        assertFalse(figures.get(2).met());

        List<Figure> failed = IdleFigures.build(new IdleFigures.Measured(Duration.ofSeconds(60), null, null, List.of(),
                List.of(), List.of(), List.of(), "failed: no cgroups", "failed: no cgroups"));
        assertNull(failed.getFirst().value());
        assertNull(failed.getFirst().met());
        assertEquals("failed: no cgroups", failed.getFirst().note());
    }
}
