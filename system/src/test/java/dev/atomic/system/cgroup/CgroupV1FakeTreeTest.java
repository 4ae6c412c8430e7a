package dev.atomic.system.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CgroupV1 with hierarchies in temporary directories: co-mounts, missing controllers, removal. */
class CgroupV1FakeTreeTest {
    @TempDir
    Path tmp;

    private CgroupV1 v1() throws Exception {
        Path cpu = Files.createDirectory(tmp.resolve("cpu,cpuacct"));
        Path memory = Files.createDirectory(tmp.resolve("memory"));
        return new CgroupV1(CgroupMounts.parse("1 1 0:1 / " + cpu + " rw - cgroup cgroup rw,cpu,cpuacct\n"
                + "2 1 0:2 / " + memory + " rw - cgroup cgroup rw,memory\n"
                + "3 1 0:3 / " + tmp.resolve("devices") + " rw - cgroup cgroup rw,devices\n"));
    }

    @Test
    void aCoMountedHierarchyGetsOneDirectory() throws Exception {
        CgroupV1 v1 = v1();
        assertEquals(Set.of("cpu", "memory"), v1.controllers());
        Cgroup g = v1.create("atomic/app");
        assertTrue(Files.isDirectory(tmp.resolve("cpu,cpuacct/atomic/app")));
        assertTrue(Files.isDirectory(tmp.resolve("memory/atomic/app")));
        assertFalse(Files.exists(tmp.resolve("devices")), "hierarchies Atomic does not use are left alone");
        assertEquals(2, g.procsFiles().size());
        assertEquals(g.procsFiles(), v1.create("atomic/app").procsFiles(), "create is idempotent");
    }

    @Test
    void aMissingControllerIsNamedWithTheReason() throws Exception {
        Cgroup g = v1().create("atomic/app");
        CgroupException e = assertThrows(CgroupException.class, g::freeze);
        assertEquals("cgroup atomic/app: the freezer controller is not available on this host "
                + "(cgroup v1 without a freezer hierarchy mounted)", e.getMessage());
        assertEquals(new CgroupUsage(-1, -1, -1), g.usage(), "no usage files in a plain directory");
    }

    @Test
    void removeTakesDescendantsInEveryHierarchy() throws Exception {
        CgroupV1 v1 = v1();
        v1.create("atomic/app/worker");
        assertTrue(v1.find("atomic/app").isPresent());
        v1.find("atomic").orElseThrow().remove();
        assertFalse(Files.exists(tmp.resolve("cpu,cpuacct/atomic")));
        assertFalse(Files.exists(tmp.resolve("memory/atomic")));
        assertTrue(v1.find("atomic").isEmpty());
    }

    @Test
    void memoryProtectionIsASoftLimitOnTheOthersSinceV1HasNoMinimum() throws Exception {
        Cgroup g = v1().create("atomic/app");
        Path soft = tmp.resolve("memory/atomic/app/memory.soft_limit_in_bytes");
        Files.writeString(soft, "");
        g.setMemorySoftLimit(0);
        assertEquals("0", Files.readString(soft));
        g.setMemorySoftLimit(-1);
        assertEquals("-1", Files.readString(soft), "unlimited");
        for (Executable protect : List.<Executable>of(() -> g.setMemoryMin(1 << 20), () -> g.setMemoryLow(1 << 20))) {
            CgroupException e = assertThrows(CgroupException.class, protect);
            assertTrue(e.getMessage().matches("cgroup atomic/app: cgroup v1 has no memory\\.(min|low); its nearest is a "
                    + "low soft limit on the other groups, so that host memory pressure reclaims them first"),
                    e.getMessage());
        }
        CgroupException noCpuset = assertThrows(CgroupException.class, g::claimCpus);
        assertTrue(noCpuset.getMessage().contains("the cpuset controller is not available"), noCpuset.getMessage());
    }
}
