package dev.atomic.sovereign;

import dev.atomic.auditor.Mode;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.system.cgroup.CgroupMounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Carving this host's real cgroup v1 hierarchies, with this test's JVM as the Sovereign, in a partitioned mode the
 * Auditor would not choose on 2 CPUs: CPU 1 for the Engine, CPU 0 for the rest. IRQs are steered in a fake /proc/irq.
 * Everything is put back at close, which the test checks. Skipped unless root on a v1 host with 2 CPUs or more.
 */
class CarvingLiveTest {
    private static final List<String> USED = List.of("cpu", "cpuset", "memory", "pids", "freezer");
    @TempDir
    Path irq;
    private Map<String, Path> hierarchies;
    private final String instance = "atomic-test-carving-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @BeforeEach
    void host() throws Exception {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
        hierarchies = CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo"))).v1Controllers();
        assumeTrue(hierarchies.keySet().containsAll(USED), "needs cgroup v1 with " + USED);
        assumeTrue(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip().matches("0-\\d+"),
                "needs 2 CPUs");
        for (String n : List.of("30", "31", "32")) {
            Files.createDirectories(irq.resolve(n));
        }
        Files.writeString(irq.resolve("30/smp_affinity_list"), "0-1\n");
        Files.writeString(irq.resolve("31/smp_affinity_list"), "1\n");
        Files.writeString(irq.resolve("32/smp_affinity_list"), "0\n");
    }

    private String file(String controller, String group, String name) throws Exception {
        return Files.readString(hierarchies.get(controller).resolve(instance + "/" + group + "/" + name)).strip();
    }

    private String irq(String n) throws Exception {
        return Files.readString(irq.resolve(n + "/smp_affinity_list")).strip();
    }

    private static String allowedCpus() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                .findFirst().orElseThrow().substring(18).strip();
    }

    @Test
    void partitionedTheEngineHasItsCpuTheOthersAreReclaimedFirstAndIrqsMoveAndEverythingComesBack()
            throws Exception {
        String placement = Files.readString(Path.of("/proc/self/cgroup"));
        String cpusBefore = allowedCpus();
        ComponentSpec input = new ComponentSpec("keys", Kernel.DAK, "driver", "x.Keys", refs(), refs(), 64 << 20, 16,
                100).withCpuWeight(ComponentSpec.INPUT_WEIGHT);
        ComponentSpec app = new ComponentSpec("app", Kernel.DAK, "app", "x.App", refs(), refs(), 64 << 20, 16, 100);

        try (Carving carving = Carving.create(instance, ReserveTest.reservation(Mode.PARTITIONED, List.of(1)), 2,
                true, irq)) {
            String said = carving.describe();
            assertTrue(said.startsWith("cgroup v1: " + instance + "/{sovereign,engine,services,dak,background} created; Engine "
                    + "alone on CPU 1 ("), said);
            assertTrue(said.contains("), the rest on CPU 0; CPU weights engine 400, services 200, drivers & apps 25, background 1; "
                    + "memory NOT protected (cgroup v1 has no memory.min): services and drivers & apps at soft limit "
                    + "0, so host memory pressure reclaims them before the Engines and the Sovereign; 1 IRQs steered "
                    + "off CPU 1, 0 not writable, 1 allowed only there left alone; controllers "), said);

            assertEquals("1", file("cpuset", "engine", "cpuset.cpus"));
            for (String g : List.of("sovereign", "services", "dak", "background")) {
                assertEquals("0", file("cpuset", g, "cpuset.cpus"), g);
            }
            // Exclusive unless another top-level cpuset shares the CPUs (another Atomic on this host, say): then
            // the carve line says why not, and nothing is left half-claimed.
            String exclusive = said.contains("Engine alone on CPU 1 (NOT exclusive: ") ? "0" : "1";
            assertEquals(exclusive, file("cpuset", "engine", "cpuset.cpu_exclusive"), said);
            assertEquals(exclusive, file("cpuset", "", "cpuset.cpu_exclusive"), said);

            assertTrue(Files.readString(Path.of("/proc/self/cgroup")).contains(":cpuset:/" + instance + "/sovereign\n"));
            assertEquals("0", allowedCpus(), "the Sovereign keeps off the Engine's CPU");

            assertEquals("0", file("memory", "services", "memory.soft_limit_in_bytes"));
            assertEquals("0", file("memory", "dak", "memory.soft_limit_in_bytes"));
            assertTrue(Long.parseLong(file("memory", "engine", "memory.soft_limit_in_bytes")) > 1L << 60,
                    "the Engines are reclaimed last");
            assertEquals("4096", file("cpu", "engine", "cpu.shares"));
            assertEquals("256", file("cpu", "dak", "cpu.shares"));
            assertEquals("10", file("cpu", "background", "cpu.shares"), "weight 1 of 100, as on v2");

            carving.component(input);
            carving.component(app);
            assertEquals("10240", file("cpu", "dak/keys", "cpu.shares"), "the input driver outweighs its kernel");
            assertEquals("1024", file("cpu", "dak/app", "cpu.shares"));
            assertEquals("0", file("cpuset", "dak/keys", "cpuset.cpus"));

            assertEquals("0", irq("30"));
            assertEquals("1", irq("31"));
            assertEquals("0", irq("32"));
        }

        for (Path root : hierarchies.values()) {
            assertFalse(Files.exists(root.resolve(instance)), root.toString());
        }
        assertEquals(placement, Files.readString(Path.of("/proc/self/cgroup")), "back where it was");
        assertEquals(cpusBefore, allowedCpus());
        assertEquals("0-1", irq("30"));
    }

    @Test
    void sharedModeWeighsAndLeavesIrqsAlone() throws Exception {
        try (Carving carving = Carving.create(instance, ReserveTest.reservation(Mode.SHARED, List.of(1)), 2, true,
                irq)) {
            String said = carving.describe();
            assertTrue(said.contains("; CPU weights engine 400, services 200, drivers & apps 25, background 1 (shared mode: no CPU "
                    + "is the Engine's alone); memory NOT protected (cgroup v1 has no memory.min)"), said);
            assertFalse(said.contains("IRQ"), said);
            assertEquals("0-1", file("cpuset", "engine", "cpuset.cpus"));
            assertEquals("0", file("cpuset", "engine", "cpuset.cpu_exclusive"));
            assertEquals("0-1", irq("30"));
        }
    }
}
