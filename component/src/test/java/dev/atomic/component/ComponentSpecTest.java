package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ComponentSpecTest {
    private static ComponentSpec spec(double cpuLimit, int cpuWeight) {
        return new ComponentSpec("key-input", Kernel.DAK, "driver", "x.Keys", refs(), refs(), 1 << 20, 8, 100,
                cpuLimit, cpuWeight);
    }

    @Test
    void theShorterConstructorsMeanNoCpuLimitAndTheDefaultWeight() {
        ComponentSpec nine = new ComponentSpec("a", Kernel.DAK, "app", "x.A", refs(), refs(), 1 << 20, 8, 100);
        assertEquals(0.0, nine.cpuLimit());
        assertEquals(0, nine.cpuWeight());
        ComponentSpec ten = new ComponentSpec("a", Kernel.DAK, "app", "x.A", refs(), refs(), 1 << 20, 8, 100, 0.5);
        assertEquals(0.5, ten.cpuLimit());
        assertEquals(0, ten.cpuWeight());
    }

    @Test
    void withCpuWeightChangesOnlyTheWeight() {
        ComponentSpec plain = spec(0.5, 0);
        ComponentSpec input = plain.withCpuWeight(ComponentSpec.INPUT_WEIGHT);
        assertEquals(ComponentSpec.INPUT_WEIGHT, input.cpuWeight());
        assertEquals(plain, input.withCpuWeight(0));
    }

    @Test
    void aWeightOutsideCgroupsRangeIsRefusedSayingWhy() {
        for (int bad : List.of(-1, 10_001)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(0, bad));
            assertEquals("key-input: a CPU weight is 1 to 10000, or 0 for the default (100)", e.getMessage());
        }
        assertEquals(10_000, spec(0, 10_000).cpuWeight());
        assertEquals(1, spec(0, 1).cpuWeight());
    }
}
