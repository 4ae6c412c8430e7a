package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.SystemSpec;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.CgroupV2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Policy 3's sizes as the Sovereign applies them, on a cgroup v2 tree in a temporary directory. */
class ResizingTest {
    private static final long MIB = 1 << 20;
    private static final ComponentSpec SPEC = new ComponentSpec("sized", Kernel.SERVICES, "service", "x.Sized",
            refs("sized@1"), refs(), 200 * MIB, 64, SystemSpec.DEFAULT_RATE);

    @TempDir
    Path root;

    private record Fixed(Optional<Cgroup> group, String why) implements Resizing.Groups {
        @Override
        public Optional<Cgroup> resizable(ComponentSpec spec) {
            return group;
        }

        @Override
        public String whyNotResizable() {
            return why;
        }

        @Override
        public Set<String> controllers() {
            return Set.of("cpu", "memory");
        }
    }

    private Path group() throws Exception {
        Path dir = Files.createDirectories(root.resolve("atomic/services/sized"));
        for (Path d = dir; !d.equals(root.getParent()); d = d.getParent()) {
            Files.writeString(d.resolve("cgroup.controllers"), "cpu memory pids\n");
            Files.writeString(d.resolve("cgroup.subtree_control"), "");
        }
        Files.writeString(dir.resolve("memory.current"), Long.toString(40 * MIB));
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 0\n");
        Files.writeString(dir.resolve("memory.max"), "max"); // as the kernel has them, before anything is written
        Files.writeString(dir.resolve("cpu.max"), "max 100000");
        return dir;
    }

    @Test
    void aSizeIsHeldBetweenAQuarterAboveItsUsageAndItsManifestsAndZeroIsTheManifests() throws Exception {
        Path dir = group();
        List<String> said = new ArrayList<>();
        Resizing r = new Resizing(new Fixed(Optional.of(new CgroupV2(root).create("atomic/services/sized")), null),
                2, said::add);
        r.apply(SPEC, false, 120 * MIB, 500_000);
        assertEquals(Long.toString(120 * MIB), Files.readString(dir.resolve("memory.max")));
        assertEquals("500000 1000000", Files.readString(dir.resolve("cpu.max")), "half a CPU, a second at a time");
        r.apply(SPEC, false, 10 * MIB, 1);
        assertEquals(Long.toString(50 * MIB), Files.readString(dir.resolve("memory.max")),
                "never below a quarter above the 40 MiB it is charged");
        assertEquals("50000 1000000", Files.readString(dir.resolve("cpu.max")), "never below 0.05 CPU");
        r.apply(SPEC, false, 900 * MIB, 3_000_000);
        assertEquals(Long.toString(200 * MIB), Files.readString(dir.resolve("memory.max")), "never above the manifest's");
        assertEquals("max 100000", Files.readString(dir.resolve("cpu.max")), "the host's CPUs and more: no quota");
        r.apply(SPEC, false, 120 * MIB, 500_000);
        r.apply(SPEC, false, 0, 0);
        assertEquals(Long.toString(200 * MIB), Files.readString(dir.resolve("memory.max")), "back to the manifest's");
        assertEquals("max 100000", Files.readString(dir.resolve("cpu.max")), "the manifest has no quota");
        assertTrue(said.isEmpty(), said.toString());
    }

    @Test
    void aManifestsCpuLimitIsTheCeiling() {
        ComponentSpec s = SPEC;
        ComponentSpec limited = new ComponentSpec(s.id(), s.kernel(), s.kind(), s.image(), s.provides(), s.calls(),
                s.memoryMaxBytes(), s.pidsMax(), s.rateBudget(), 0.5, s.cpuWeight(), s.version(), s.restart(),
                s.state(), s.sandbox(), s.tier(), s.activation(), s.observe(), s.watch());
        Resizing r = new Resizing(new Fixed(Optional.empty(), "none"), 2, line -> { });
        assertEquals(0.5, r.cpus(limited, 1_500_000));
        assertEquals(0.25, r.cpus(limited, 250_000));
        assertEquals(0.5, r.cpus(limited, 0), "the manifest's own");
        assertEquals(-1, r.cpus(s, 0));
    }

    @Test
    void whereNoGroupIsItsOwnItSaysWhyOnceAndWritesNothing() throws Exception {
        Path dir = group();
        List<String> said = new ArrayList<>();
        Resizing shared = new Resizing(new Fixed(Optional.of(new CgroupV2(root).create("atomic/services/sized")),
                null), 2, said::add);
        shared.apply(SPEC, true, 120 * MIB, 500_000);
        shared.apply(SPEC, true, 100 * MIB, 500_000);
        assertEquals("max", Files.readString(dir.resolve("memory.max")));
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.getFirst().contains("partition host"), said.getFirst());
        Resizing flat = new Resizing(new Fixed(Optional.empty(), "not carved (--no-carving): every component shares "
                + "one group"), 2, said::add);
        flat.apply(SPEC, false, 120 * MIB, 500_000);
        assertTrue(said.getLast().endsWith("not enforced: not carved (--no-carving): every component shares one group"),
                said.getLast());
    }
}
