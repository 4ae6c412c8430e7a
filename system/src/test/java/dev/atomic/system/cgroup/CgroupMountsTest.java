package dev.atomic.system.cgroup;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupMountsTest {
    /** The development VM's mountinfo: systemd-style hybrid, v1 controllers plus a controller-less cgroup2. */
    static final String HYBRID = """
            22 27 0:21 / /proc rw,relatime - proc proc rw
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    /** A systemd host in unified mode (Debian 12, Fedora, Ubuntu 22.04+): optional fields, no v1 at all. */
    static final String PURE_V2 = """
            23 29 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
            29 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw,errors=remount-ro
            35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;

    @Test
    void hybridHostHasV1ControllersAndTheUnifiedMount() {
        CgroupMounts m = CgroupMounts.parse(HYBRID);
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified")), m.unified());
        assertTrue(m.hasV1());
        assertEquals(Path.of("/sys/fs/cgroup/memory"), m.v1Controllers().get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpuacct"), m.v1Controllers().get("cpuacct"));
        assertEquals(java.util.Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids"),
                m.v1Controllers().keySet(), "mount options and the named systemd hierarchy are not controllers");
    }

    @Test
    void pureV2HostHasOnlyTheUnifiedMount() {
        CgroupMounts m = CgroupMounts.parse(PURE_V2);
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup")), m.unified());
        assertFalse(m.hasV1());
    }

    @Test
    void coMountedControllersShareOneHierarchy() {
        CgroupMounts m = CgroupMounts.parse("""
                30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:11 - cgroup cgroup rw,cpu,cpuacct
                31 25 0:27 / /sys/fs/cgroup/cpuset rw shared:12 - cgroup cgroup rw,cpuset,noprefix,release_agent=/x
                """);
        assertEquals(Map.of("cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct"), "cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct"),
                "cpuset", Path.of("/sys/fs/cgroup/cpuset")), m.v1Controllers());
    }

    @Test
    void escapedMountPointsAreDecoded() {
        CgroupMounts m = CgroupMounts.parse("""
                50 1 0:40 / /mnt/my\\040cgroups\\011v2 rw - cgroup2 cgroup2 rw
                51 1 0:41 / /mnt/back\\134slash rw - cgroup cgroup rw,pids
                52 1 0:42 / - rw - cgroup cgroup rw,memory
                """);
        assertEquals(Optional.of(Path.of("/mnt/my cgroups\tv2")), m.unified());
        assertEquals(Path.of("/mnt/back\\slash"), m.v1Controllers().get("pids"));
        assertEquals(Path.of("-"), m.v1Controllers().get("memory"), "a mount point named like the separator");
    }

    @Test
    void noCgroupsAtAll() {
        CgroupMounts m = CgroupMounts.parse("22 27 0:21 / /proc rw,relatime - proc proc rw\n\ngarbage\n");
        assertTrue(m.unified().isEmpty());
        assertFalse(m.hasV1());
    }

    /** Whatever this host is, the parse must agree with the cgroups the kernel lists for this process. */
    @Test
    void thisHostsMountinfoAgreesWithProcSelfCgroup() throws Exception {
        CgroupMounts m = CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo")));
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f[1].isEmpty()) {
                assertTrue(m.unified().isPresent(), "the kernel reports a v2 membership: " + line);
                assertTrue(Files.exists(m.unified().get().resolve("cgroup.procs")));
            } else {
                for (String controller : f[1].split(",")) {
                    if (!controller.startsWith("name=")) {
                        Path mount = m.v1Controllers().get(controller);
                        assertTrue(mount != null && Files.isDirectory(mount), controller + " in " + m);
                    }
                }
            }
        }
    }
}
