package dev.atomic.sovereign;

import dev.atomic.auditor.Mode;
import dev.atomic.auditor.Profile;
import dev.atomic.auditor.Reservation;
import dev.atomic.system.cgroup.CgroupV2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reservation written into a cgroup v2 tree shaped like cgroupfs (this host is v1; {@code CarvingLiveTest}
 * carves it for real). Each group is made with the files the kernel would give it, since a plain mkdir makes none.
 */
class ReserveTest {
    private static final long MIB = 1 << 20;
    private static final List<String> GROUPS = List.of("", "atomic", "atomic/sovereign", "atomic/engine",
            "atomic/services", "atomic/dak", "atomic/background");
    private static final MemoryProtection PROTECTION = MemoryProtection.of(Sovereign.ENGINE_TUNING, 256 * MIB);

    @TempDir
    Path root;

    static Reservation reservation(Mode mode, List<Integer> engineCpus) {
        return new Reservation(Profile.LEAN, mode, engineCpus.size(), engineCpus, 256 * MIB,
                Collections.nCopies(Reservation.BRIDGE_REASON + 1, "test"));
    }

    private List<String> reserve(String controllers, Reservation r) throws Exception {
        tree(controllers);
        return apply(r);
    }

    private void tree(String controllers) throws Exception {
        for (String g : GROUPS) {
            Path dir = Files.createDirectories(root.resolve(g));
            Files.writeString(dir.resolve("cgroup.controllers"), controllers + "\n");
            Files.writeString(dir.resolve("cgroup.subtree_control"), "");
            for (String file : List.of("cpu.weight", "cpuset.cpus", "cpuset.cpus.exclusive", "memory.min",
                    "memory.low")) {
                Files.writeString(dir.resolve(file), "");
            }
            Files.writeString(dir.resolve("cpuset.cpus.partition"), "member\n");
        }
    }

    private List<String> apply(Reservation r) {
        CgroupV2 v2 = new CgroupV2(root);
        Reserve.Tree tree = new Reserve.Tree(v2.create("atomic"), v2.create("atomic/sovereign"),
                v2.create("atomic/engine"), v2.create("atomic/services"), v2.create("atomic/dak"),
                v2.create("atomic/background"));
        return Reserve.apply(v2, tree, r, 2, PROTECTION);
    }

    private String read(String file) throws Exception {
        return Files.readString(root.resolve("atomic").resolve(file)).strip();
    }

    @Test
    void sharedModeWeighsTheKernelsAndProtectsTheEnginesAndTheBridges() throws Exception {
        List<String> said = reserve("cpu cpuset memory pids", reservation(Mode.SHARED, List.of(1)));
        assertEquals(List.of("CPU weights engine 400, services 200, drivers & apps 25, background 1 (shared mode: no CPU is the "
                        + "Engine's alone)",
                "memory.min: Engines 288 MiB (2 × heap and metaspace), bridges 256 MiB; memory.low: Engines 416 MiB"),
                said);
        assertEquals("400", read("engine/cpu.weight"));
        assertEquals("200", read("services/cpu.weight"));
        assertEquals("25", read("dak/cpu.weight"));
        assertEquals("1", read("background/cpu.weight"));
        assertEquals("", read("engine/cpuset.cpus"), "no CPU is taken in shared mode");
        assertEquals(Long.toString(288 * MIB), read("engine/memory.min"));
        assertEquals(Long.toString(416 * MIB), read("engine/memory.low"));
        assertEquals(Long.toString(256 * MIB), read("sovereign/memory.min"));
        assertEquals(Long.toString(544 * MIB), read("memory.min"), "the parent protects what its children do");
        assertEquals(Long.toString(416 * MIB), read("memory.low"));
        assertEquals("", read("services/memory.min"));
        assertEquals("", read("dak/memory.min"));
    }

    @Test
    void partitionedModeMakesTheEnginesCpuAPartitionRootAndKeepsEveryoneElseOffIt() throws Exception {
        List<String> said = reserve("cpu cpuset memory pids", reservation(Mode.PARTITIONED, List.of(1)));
        assertEquals("Engine alone on CPU 1 (exclusive: a partition root), the rest on CPU 0; CPU weights engine "
                + "400, services 200, drivers & apps 25, background 1", said.getFirst());
        assertEquals("1", read("engine/cpuset.cpus"));
        assertEquals("1", read("engine/cpuset.cpus.exclusive"));
        assertEquals("root", read("engine/cpuset.cpus.partition"));
        assertEquals("1", read("cpuset.cpus.exclusive"));
        for (String g : List.of("sovereign", "services", "dak")) {
            assertEquals("0", read(g + "/cpuset.cpus"), g);
        }
        assertEquals("200", read("services/cpu.weight"), "the kernels still share CPU 0 by weight");
    }

    @Test
    void aPartitionTheKernelCannotMakeIsSaidAndTheCpusStillSplit() throws Exception {
        tree("cpu cpuset memory pids");
        Files.delete(root.resolve("atomic/engine/cpuset.cpus.exclusive"));
        List<String> said = apply(reservation(Mode.PARTITIONED, List.of(1)));
        assertEquals("Engine alone on CPU 1 (NOT exclusive: cgroup v2 without cpuset.cpus.exclusive: a partition "
                + "below a group that is not one needs Linux 6.7 or later), the rest on CPU 0; CPU weights engine 400, "
                + "services 200, drivers & apps 25, background 1", said.getFirst());
        assertEquals("member", read("engine/cpuset.cpus.partition"));
        assertEquals("", read("cpuset.cpus.exclusive"));
        assertEquals("1", read("engine/cpuset.cpus"));
        assertEquals("0", read("dak/cpuset.cpus"));
    }

    @Test
    void withoutTheControllersItSaysPlainlyWhatIsNotCarved() throws Exception {
        List<String> said = reserve("cpu pids", reservation(Mode.PARTITIONED, List.of(1)));
        assertEquals(List.of("CPU weights engine 400, services 200, drivers & apps 25, background 1 (partitioned mode, but no "
                + "cpuset controller: no CPU is the Engine's alone)", "memory NOT protected (no memory controller)"),
                said);
        assertEquals("", read("engine/memory.min"));
    }

    @Test
    void anEngineOnEveryCpuIsNoPartition() throws Exception {
        List<String> said = reserve("cpuset memory", reservation(Mode.PARTITIONED, List.of(0, 1)));
        assertEquals("no CPU carving (no cpu controller; partitioned mode, but the Engine's CPUs are all there are)",
                said.getFirst());
        assertEquals("", read("engine/cpuset.cpus"));
    }
}
