package dev.atomic.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyLiveFiguresTest {
    private static PolicyLive.Side side(boolean on, int leakerFaults, Double recovery, long cpuNanos) {
        return new PolicyLive.Side(on, leakerFaults, leakerFaults + 1, on ? 1 : 0, 0, recovery, cpuNanos, 0, 1_000,
                on ? 2 : 0, "");
    }

    private static Figure named(List<Figure> figures, String prefix) {
        return figures.stream().filter(f -> f.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void aFaultPreventedAQuickerRecoveryAndNoDearerEventsMeetTheTargets() {
        List<Figure> f = PolicyLiveBench.figures(side(true, 0, 2_000.0, 15_000_000), side(false, 1, 5_000.0,
                16_000_000), null);
        assertEquals(1.0, named(f, "faults prevented").value());
        assertTrue(named(f, "faults prevented").met());
        assertTrue(named(f, "leaker's recovery, policies on").met());
        assertEquals(0.4, named(f, "leaker's recovery, policies on").ratio(), 1e-9);
        assertTrue(named(f, "CPU per event, policies on").met());
    }

    @Test
    void noFaultPreventedAndDearerEventsAreMisses() {
        List<Figure> f = PolicyLiveBench.figures(side(true, 1, 6_000.0, 17_000_000), side(false, 1, 5_000.0,
                16_000_000), null);
        assertFalse(named(f, "faults prevented").met());
        assertFalse(named(f, "leaker's recovery, policies on").met());
        assertFalse(named(f, "CPU per event, policies on").met());
    }

    @Test
    void aSideThatFailedLeavesEveryFigureUnmeasuredAndSaysWhy() {
        List<Figure> f = PolicyLiveBench.figures(null, side(false, 1, 5_000.0, 16_000_000), "failed: no boot");
        assertNull(named(f, "faults prevented").value());
        assertNull(named(f, "faults prevented").met());
        assertEquals("failed: no boot", named(f, "CPU per event, policies on").note());
    }
}
