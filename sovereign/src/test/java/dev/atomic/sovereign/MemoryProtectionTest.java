package dev.atomic.sovereign;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MemoryProtectionTest {
    private static final long MIB = 1 << 20;

    @Test
    void theEnginesHeapAndMetaspaceTwiceThenTheBridges() {
        MemoryProtection p = MemoryProtection.of(Sovereign.ENGINE_TUNING, 256 * MIB);
        assertEquals(2 * (128 + 16) * MIB, p.engineMin(), "active and standby Engine, -Xmx128m and 16 MiB each");
        assertEquals(p.engineMin() + 2 * 64 * MIB, p.engineLow());
        assertEquals(256 * MIB, p.bridges());
        assertEquals(544 * MIB, p.instanceMin());
        assertEquals("Engines 288 MiB (2 × heap and metaspace), bridges 256 MiB", p.describe());
    }

    @Test
    void theHeapIsTheLastXmxInAnyUnit() {
        assertEquals(128 * MIB, MemoryProtection.maxHeap(List.of("-Xms32m", "-Xmx128m")));
        assertEquals(2L << 30, MemoryProtection.maxHeap(List.of("-Xmx64m", "-Xmx2G")));
        assertEquals(512 << 10, MemoryProtection.maxHeap(List.of("-Xmx512k")));
        assertEquals(1_000_000, MemoryProtection.maxHeap(List.of("-Xmx1000000")));
    }

    @Test
    void noHeapLimitOrNoNumberIsAClearError() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> MemoryProtection.maxHeap(List.of("-Xms32m")));
        assertEquals("no -Xmx in [-Xms32m]: an unbounded heap has no budget to protect", none.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> MemoryProtection.maxHeap(List.of("-Xmxlots")));
        assertEquals("not a heap size: -Xmxlots", bad.getMessage());
    }
}
