package dev.atomic.system.cgroup;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        for (String file : List.of("cgroup.procs", "cgroup.freeze", "memory.max", "pids.max", "cpu.max", "cpu.weight",
                "cpuset.cpus")) {
            Files.writeString(dir.resolve(file), "");
        }
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
