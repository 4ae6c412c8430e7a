package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InheritedSegmentsTest {
    private static final long MIB = 1024 * 1024;
    private static final SystemSpec SYSTEM = new SystemSpec("inherit", List.of(
            new ComponentSpec("echo", Kernel.SERVICES, "service", "x.Echo", refs("echo@1"), refs(), 64 * MIB, 64, 1000),
            new ComponentSpec("a", Kernel.DAK, "app", "x.A", refs(), refs("echo@1"), 64 * MIB, 64, 1000),
            new ComponentSpec("b", Kernel.DAK, "app", "x.B", refs(), refs("echo@1"), 64 * MIB, 64, 1000)),
            List.of(new PoolSpec("a", "echo", 4, 4096), new PoolSpec("b", "echo", 4, 4096)),
            List.of(new FastPathSpec("b", "echo", 0)));

    /** Descriptors follow the lane segment's 3 without a gap: pools, then fast paths, each in spec order. */
    @Test
    void eachComponentInheritsWhatItIsAPartyToAndNothingElse() {
        InheritedSegments echo = InheritedSegments.of(SYSTEM, SYSTEM.component("echo").orElseThrow());
        assertEquals(Map.of(0, 4, 1, 5), echo.pools());
        assertEquals(Map.of(0, 6), echo.fastPaths());
        assertEquals(4, echo.count());
        assertEquals("pool0=4,pool1=5,fast0=6", echo.format());
        InheritedSegments a = InheritedSegments.of(SYSTEM, SYSTEM.component("a").orElseThrow());
        assertEquals("pool0=4", a.format());
        assertEquals(Path.of("/proc/self/fd/4"), a.pool(0));
        assertThrows(IllegalStateException.class, () -> a.pool(1), "b's pool is not a's");
        assertThrows(IllegalStateException.class, () -> a.fastPath(0));
        assertEquals("pool1=4,fast0=5", InheritedSegments.of(SYSTEM, SYSTEM.component("b").orElseThrow()).format());
    }

    @Test
    void theCommandLineFormReadsBack() {
        for (String text : List.of("pool0=4,pool1=5,fast0=6", "fast3=4", "-")) {
            assertEquals(text, InheritedSegments.parse(text).format());
        }
        assertEquals(Path.of("/proc/self/fd/6"), InheritedSegments.parse("pool0=4,pool1=5,fast0=6").fastPath(0));
        assertEquals(Path.of("/proc/self/fd/3"), InheritedSegments.lane());
        assertThrows(IllegalArgumentException.class, () -> InheritedSegments.parse("pool0=4,lane=3"));
    }
}
