package dev.atomic.system.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupsDetectTest {
    @TempDir
    Path tmp;

    @Test
    void v1WinsOverAControllerLessCgroup2() throws Exception {
        Path memory = Files.createDirectory(tmp.resolve("memory"));
        Path unified = Files.createDirectory(tmp.resolve("unified"));
        Cgroups c = Cgroups.detect(CgroupMounts.parse(
                "1 1 0:1 / " + memory + " rw - cgroup cgroup rw,memory\n"
                        + "2 1 0:2 / " + unified + " rw - cgroup2 cgroup2 rw\n"));
        assertInstanceOf(CgroupV1.class, c);
        assertEquals("v1", c.version());
        assertEquals(Set.of("memory"), c.controllers());
    }

    @Test
    void pureV2ReportsItsControllersAndAlwaysTheFreezer() throws Exception {
        Files.writeString(tmp.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Cgroups c = Cgroups.detect(CgroupMounts.parse("1 1 0:1 / " + tmp + " rw - cgroup2 cgroup2 rw\n"));
        assertInstanceOf(CgroupV2.class, c);
        assertEquals("v2", c.version());
        assertEquals(Set.of("cpu", "cpuset", "memory", "pids", "freezer"), c.controllers());
    }

    @Test
    void v1ControllersAtomicDoesNotUseDoNotCount() throws Exception {
        Files.writeString(tmp.resolve("cgroup.controllers"), "memory\n");
        Path devices = Files.createDirectory(tmp.resolve("devices"));
        Cgroups c = Cgroups.detect(CgroupMounts.parse("1 1 0:1 / " + devices + " rw - cgroup cgroup rw,devices\n"
                + "2 1 0:2 / " + tmp + " rw - cgroup2 cgroup2 rw\n"));
        assertEquals("v2", c.version());
    }

    @Test
    void unavailableSaysWhy() {
        CgroupsUnavailable none = assertThrows(CgroupsUnavailable.class,
                () -> Cgroups.detect(CgroupMounts.parse("1 1 0:1 / /proc rw - proc proc rw\n")));
        assertTrue(none.getMessage().contains("no cgroup hierarchy is mounted"), none.getMessage());

        CgroupsUnavailable unwritable = assertThrows(CgroupsUnavailable.class, () -> Cgroups.detect(
                CgroupMounts.parse("1 1 0:1 / " + tmp.resolve("gone") + " rw - cgroup2 cgroup2 rw\n")));
        assertTrue(unwritable.getMessage().contains("is not writable by this user: run as root"),
                unwritable.getMessage());
    }

    @Test
    void thisHostIsDetected() throws Exception {
        Live.assumeRoot();
        Cgroups c = Cgroups.detect();
        CgroupMounts m = CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo")));
        assertEquals(m.v1Controllers().containsKey("memory") ? "v1" : "v2", c.version());
        assertTrue(c.controllers().contains("freezer") || c.version().equals("v1"));
    }
}
