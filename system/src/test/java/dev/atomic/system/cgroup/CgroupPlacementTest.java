package dev.atomic.system.cgroup;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CgroupPlacementTest {
    private static final String HYBRID_MOUNTS = """
            30 25 0:26 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            31 25 0:27 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            32 25 0:28 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            33 25 0:29 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @Test
    void aHybridHostsPlacementHasOneGroupPerHierarchy() {
        CgroupPlacement p = CgroupPlacement.parse("""
                9:name=systemd:/
                8:pids:/user.slice
                5:memory:/process_api/abc
                3:cpu:/
                0::/user.slice/session-1.scope
                """, CgroupMounts.parse(HYBRID_MOUNTS));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/pids/user.slice/cgroup.procs"),
                Path.of("/sys/fs/cgroup/memory/process_api/abc/cgroup.procs"),
                Path.of("/sys/fs/cgroup/cpu/cgroup.procs"),
                Path.of("/sys/fs/cgroup/unified/user.slice/session-1.scope/cgroup.procs")), p.procsFiles());
    }

    @Test
    void aPureV2HostsPlacementIsOneGroup() {
        CgroupPlacement p = CgroupPlacement.parse("0::/system.slice/ssh.service\n",
                CgroupMounts.parse("29 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/system.slice/ssh.service/cgroup.procs")), p.procsFiles());
    }
}
