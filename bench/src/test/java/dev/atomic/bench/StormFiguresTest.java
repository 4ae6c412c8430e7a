package dev.atomic.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StormFiguresTest {
    /** Latencies in nanoseconds. */
    private static Histogram keys(long... nanos) {
        Histogram h = new Histogram(3);
        for (long n : nanos) {
            h.recordValue(n);
        }
        return h;
    }

    private static Map<String, Figure> byName(List<Figure> figures) {
        return figures.stream().collect(Collectors.toMap(Figure::name, Function.identity()));
    }

    @Test
    void cpuIsWhatTheEventsAddAndEachTargetIsJudgedAgainstItsOwnBaseline() {
        // 1 s busy against 0.4 s idle over 100 000 readings: 6 us each beyond idle, against 10 us without coalescing
        StormMeasure.Cpu on = new StormMeasure.Cpu(900_000_000L, 100_000_000L, 350_000_000L, 50_000_000L, 100_000,
                2_000, 2_000, 300_000_000L, 100_000_000L, "the sensor's coalescing window stayed on its default");
        StormMeasure.Cpu off = new StormMeasure.Cpu(1_200_000_000L, 200_000_000L, 350_000_000L, 50_000_000L, 100_000,
                100_000, 0, 400_000_000L, 100_000_000L, "the sensor's coalescing window stayed on its default");
        // Each press's hops: in the driver, to the Engine, from the Engine
        Histogram[] quietHops = {keys(5_000, 5_000, 5_000), keys(20_000, 40_000, 60_000), keys(75_000, 155_000,
                235_000)};
        Histogram[] stormHops = {keys(5_000, 5_000, 5_000), keys(20_000, 400_000, 600_000), keys(75_000, 95_000,
                95_000)};
        StormMeasure.Phase quiet = new StormMeasure.Phase(keys(100_000, 200_000, 300_000), quietHops, List.of(
                new StormRun.Ping(1_000_000, 2_000_000)), 0, 0, 0);
        StormMeasure.Phase storm = new StormMeasure.Phase(keys(100_000, 500_000, 700_000), stormHops, List.of(
                new StormRun.Ping(200_000, 400_000), new StormRun.Ping(12_000_000, 13_000_000)), 0, 3_000_000, 2);
        Map<String, Figure> f = byName(StormFigures.build(on, off, null, quiet, storm, null));

        Figure cpu = f.get("CPU per event, coalescing on");
        assertEquals(6000.0, cpu.value());
        assertEquals(10000.0, cpu.baseline());
        assertEquals(0.6, cpu.ratio());
        assertTrue(cpu.met(), "0.6x is within the 0.6x target");
        assertEquals(10000.0, f.get("CPU per event in all (idle not subtracted), coalescing on").value());
        assertEquals(5500.0, f.get("Engine CPU per event, coalescing on").value());
        assertEquals(2000.0, f.get("the sensor's own CPU per event, coalescing on").value());
        assertEquals(3000.0, f.get("the sensor's own CPU per event, coalescing off").value());

        Figure p99 = f.get("critical event (key press) p99, during storms");
        assertEquals(700.0, p99.value(), 1.0);
        assertEquals(300.0, p99.baseline(), 1.0);
        assertFalse(p99.met(), "2.3x misses the 2x target");

        Figure toEngine = f.get("key press p99, to the Engine (the send to the Engine passing it on), quiet / during "
                + "storms");
        assertEquals(60.0, toEngine.value(), 0.1);
        assertTrue(toEngine.note().startsWith("during storms 600"), toEngine.note());
        assertEquals(235.0, f.get("key press p99, from the Engine (to input-sink's handler), quiet / during storms")
                .value(), 0.3);

        Figure order = f.get("recovery order served, max during storms");
        assertEquals(12.0, order.value());
        assertFalse(order.met(), "12 ms misses the 10 ms target");
        assertEquals(0.2, f.get("recovery order served, p50 during storms").value());
        assertTrue(f.get("key presses lost, reordered or coalesced, quiet and during storms").met());
    }

    @Test
    void aSideThatFailedSaysWhyAndIsNotJudged() {
        Map<String, Figure> f = byName(StormFigures.build(null, null, "failed: no cgroups", null, null,
                "failed: no cgroups"));
        Figure cpu = f.get("CPU per event, coalescing on");
        assertNull(cpu.value());
        assertNull(cpu.met());
        assertEquals("failed: no cgroups", cpu.note());
        assertNull(f.get("recovery order served, max during storms").met());
        assertNull(f.get("key presses lost, reordered or coalesced, quiet and during storms").met());
    }
}
