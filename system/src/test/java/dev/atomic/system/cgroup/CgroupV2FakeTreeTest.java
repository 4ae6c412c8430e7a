package dev.atomic.system.cgroup;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CgroupV2 against a directory tree shaped like cgroupfs. Directories are pre-created with the files the kernel
 * would put in them, since a plain mkdir makes none; every write must land in a file that already exists.
 */
class CgroupV2FakeTreeTest {
    @TempDir
    Path root;

    @BeforeEach
    void tree() throws Exception {
        group(root, "cpu cpuset memory pids hugetlb", "");
        group(root.resolve("atomic"), "cpu cpuset memory pids", "memory");
        group(root.resolve("atomic/app"), "cpu cpuset memory pids", "");
    }

    private static void group(Path dir, String controllers, String subtree) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), controllers + "\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), subtree + "\n");
        for (String file : List.of("cgroup.procs", "cgroup.freeze", "memory.max", "memory.min", "memory.low",
                "pids.max", "cpu.max", "cpu.weight", "cpuset.cpus", "cpuset.cpus.exclusive")) {
            Files.writeString(dir.resolve(file), "");
        }
        Files.writeString(dir.resolve("cpuset.cpus.partition"), "member\n");
    }

    private String read(String file) throws Exception {
        return Files.readString(root.resolve(file));
    }

    @Test
    void createEnablesTheMissingControllersInEveryAncestorButNotTheLeaf() throws Exception {
        CgroupV2 v2 = new CgroupV2(root);
        assertEquals(Set.of("cpu", "cpuset", "memory", "pids", "freezer"), v2.controllers());

        Cgroup app = v2.create("atomic/app");
        assertEquals("atomic/app", app.path());
        assertEquals("+cpu +cpuset +memory +pids", read("cgroup.subtree_control"));
        assertEquals("+cpu +cpuset +pids", read("atomic/cgroup.subtree_control"), "memory was already on");
        assertEquals("\n", read("atomic/app/cgroup.subtree_control"), "a leaf holds processes, so enables nothing");
        assertEquals(List.of(root.resolve("atomic/app/cgroup.procs")), app.procsFiles());
        assertTrue(v2.find("atomic/app").isPresent());
        assertTrue(v2.find("atomic/other").isEmpty());
    }

    @Test
    void limitsWriteTheV2FilesAndValues() throws Exception {
        Cgroup app = new CgroupV2(root).create("atomic/app");
        app.setMemoryMax(64L << 20);
        assertEquals("67108864", read("atomic/app/memory.max"));
        app.setMemoryMax(-1);
        assertEquals("max", read("atomic/app/memory.max"));
        app.setPidsMax(100);
        assertEquals("100", read("atomic/app/pids.max"));
        app.setCpuQuota(50_000, 100_000);
        assertEquals("50000 100000", read("atomic/app/cpu.max"));
        app.setCpuWeight(25);
        assertEquals("25", read("atomic/app/cpu.weight"));
        app.setCpuQuota(-1, 100_000);
        assertEquals("max 100000", read("atomic/app/cpu.max"));
        app.setCpus("0-1");
        assertEquals("0-1", read("atomic/app/cpuset.cpus"));
        app.addProcess(4242);
        assertEquals("4242", read("atomic/app/cgroup.procs"));
    }

    @Test
    void memoryProtectionIsMinAndLowAndV2HasNoSoftLimit() throws Exception {
        Cgroup app = new CgroupV2(root).create("atomic/app");
        app.setMemoryMin(288L << 20);
        assertEquals("301989888", read("atomic/app/memory.min"));
        app.setMemoryLow(416L << 20);
        assertEquals("436207616", read("atomic/app/memory.low"));
        app.setMemoryMin(-1);
        assertEquals("0", read("atomic/app/memory.min"), "no protection is 0, not a negative number");
        CgroupException e = assertThrows(CgroupException.class, () -> app.setMemorySoftLimit(0));
        assertTrue(e.getMessage().startsWith("cgroup atomic/app: cgroup v2 has no soft limit"), e.getMessage());
    }

    @Test
    void claimingCpusHandsThemDownEveryAncestorThenMakesAPartitionRoot() throws Exception {
        Cgroup app = new CgroupV2(root).create("atomic/app");
        app.setCpus("1");
        assertEquals(Optional.empty(), app.claimCpus());
        assertEquals("1", read("atomic/cpuset.cpus.exclusive"), "a remote partition: the parent hands them down");
        assertEquals("1", read("atomic/app/cpuset.cpus.exclusive"));
        assertEquals("root", read("atomic/app/cpuset.cpus.partition"));
        assertEquals("member\n", read("atomic/cpuset.cpus.partition"), "the parent is not a partition itself");
        assertEquals(Optional.empty(), app.claimCpus(), "claiming again changes nothing");
    }

    @Test
    void aClaimThatFailsHalfWayIsUndoneAndSaysWhy() throws Exception {
        Files.delete(root.resolve("atomic/app/cpuset.cpus.partition"));
        Cgroup app = new CgroupV2(root).create("atomic/app");
        app.setCpus("1");
        Optional<String> refused = app.claimCpus();
        assertEquals(Optional.of("cgroup atomic/app: cannot read " + root.resolve("atomic/app/cpuset.cpus.partition")
                + ": no such file"), refused);
        assertEquals("", read("atomic/cpuset.cpus.exclusive").strip(), "undone, last first");
        assertEquals("", read("atomic/app/cpuset.cpus.exclusive").strip());
    }

    @Test
    void aClaimNeedsItsCpusAKernelWithExclusiveCpusAndAFreeAncestor() throws Exception {
        Cgroup app = new CgroupV2(root).create("atomic/app");
        assertThrows(CgroupException.class, app::claimCpus, "no cpuset.cpus to claim");
        app.setCpus("1");
        Files.writeString(root.resolve("atomic/cpuset.cpus.exclusive"), "0");
        assertEquals(Optional.of(root.resolve("atomic") + " already claims CPUs 0 for another group"), app.claimCpus());
        assertEquals("0", read("atomic/cpuset.cpus.exclusive"));
        assertEquals("member\n", read("atomic/app/cpuset.cpus.partition"));

        Files.delete(root.resolve("atomic/app/cpuset.cpus.exclusive"));
        Optional<String> old = app.claimCpus();
        assertTrue(old.orElseThrow().contains("needs Linux 6.7 or later"), old.toString());
    }

    @Test
    void anInvalidPartitionIsReadAsTheKernelsReason() {
        assertEquals(Optional.empty(), V2Cgroup.partitionProblem("root"));
        assertEquals(Optional.of("the kernel left the partition invalid: Parent is not a partition root"),
                V2Cgroup.partitionProblem("root invalid (Parent is not a partition root)"));
        assertFalse(V2Cgroup.partitionProblem("member").isEmpty());
    }

    @Test
    void aMissingControllerIsNamedWithTheReason() throws Exception {
        Files.writeString(root.resolve("atomic/app/cgroup.controllers"), "cpu pids\n");
        Cgroup app = new CgroupV2(root).create("atomic/app");
        CgroupException e = assertThrows(CgroupException.class, () -> app.setMemoryMax(1 << 20));
        assertEquals("cgroup atomic/app: the memory controller is not available on this host "
                + "(cgroup v2 without memory in cgroup.controllers)", e.getMessage());
        assertEquals("", read("atomic/app/memory.max"));
    }

    @Test
    void aFailedWriteNamesGroupFileValueAndReason() throws Exception {
        Files.delete(root.resolve("atomic/app/pids.max"));
        Cgroup app = new CgroupV2(root).create("atomic/app");
        CgroupException e = assertThrows(CgroupException.class, () -> app.setPidsMax(5));
        assertEquals("cgroup atomic/app: cannot write \"5\" to " + root.resolve("atomic/app/pids.max")
                + ": no such file", e.getMessage());
    }

    @Test
    void pathsMustStayInsideTheHierarchy() {
        CgroupV2 v2 = new CgroupV2(root);
        for (String bad : List.of("/abs", "a/../..", "a//b", "", "a/./b", "a/")) {
            assertThrows(IllegalArgumentException.class, () -> v2.create(bad), bad);
        }
    }
}
