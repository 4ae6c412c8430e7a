package dev.atomic.system.cgroup;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On this host's real cgroup2 mount, inside a group of its own: on a hybrid host that is /sys/fs/cgroup/unified,
 * without controllers, which still freezes and kills. Skipped where there is none, or not root.
 */
class CgroupV2LiveTest {
    @TempDir
    Path tmp;
    private Path root;
    private CgroupV2 v2;
    private String top;
    private final List<java.lang.Process> started = new ArrayList<>();

    @BeforeEach
    void host() throws Exception {
        Live.assumeRoot();
        CgroupMounts m = CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo")));
        assumeTrue(m.unified().isPresent(), "needs a cgroup2 mount");
        root = m.unified().get();
        v2 = new CgroupV2(root);
        top = Live.testRoot();
    }

    @AfterEach
    void scrub() throws Exception {
        if (top != null) {
            Live.scrub(List.of(root), top, started);
        }
    }

    @Test
    void membershipFreezingUsageKillingAndRemoval() throws Exception {
        assertTrue(v2.controllers().contains("freezer"));
        Cgroup g = v2.create(top + "/a");
        assertEquals(List.of(root.resolve(top + "/a/cgroup.procs")), g.procsFiles());

        java.lang.Process sleep = new ProcessBuilder("sleep", "30").start();
        started.add(sleep);
        Path count = tmp.resolve("count");
        java.lang.Process counter = Live.counter(count);
        started.add(counter);
        g.addProcess(sleep.pid());
        g.addProcess(counter.pid());
        assertEquals(List.of(Math.min(sleep.pid(), counter.pid()), Math.max(sleep.pid(), counter.pid())), g.processes());
        assertTrue(Files.readString(Path.of("/proc/" + sleep.pid() + "/cgroup")).contains("0::/" + top + "/a\n"));
        assertTrue(Live.moves(count, 2000), "the counter runs");

        g.freeze();
        assertTrue(g.frozen());
        assertTrue(Files.readString(root.resolve(top + "/a/cgroup.events")).contains("frozen 1"));
        assertFalse(Live.moves(count, 200), "frozen, the counter stands still");
        g.thaw();
        assertFalse(g.frozen());
        assertTrue(Live.moves(count, 2000), "thawed, it counts again");

        CgroupUsage usage = g.usage();
        assertTrue(usage.cpuNanos() > 1_000_000, "cpu.stat is core in v2: " + usage);
        if (v2.controllers().contains("memory")) {
            assertTrue(usage.memoryBytes() > 0, usage.toString());
        } else {
            assertEquals(-1, usage.memoryBytes());
            CgroupException e = assertThrows(CgroupException.class, () -> g.setMemoryMax(1 << 30));
            assertEquals("cgroup " + top + "/a: the memory controller is not available on this host "
                    + "(cgroup v2 without memory in cgroup.controllers)", e.getMessage());
        }

        CgroupException busy = assertThrows(CgroupException.class, () -> v2.find(top).orElseThrow().remove());
        assertTrue(busy.getMessage().contains(Long.toString(counter.pid())), busy.getMessage());

        g.freeze();
        g.killAll();
        assertEquals(List.of(), g.processes());
        assertFalse(g.frozen(), "killAll leaves the group thawed");
        assertTrue(sleep.waitFor(2, TimeUnit.SECONDS));
        assertTrue(counter.waitFor(2, TimeUnit.SECONDS));

        v2.find(top).orElseThrow().remove();
        assertFalse(Files.exists(root.resolve(top)));
        assertTrue(v2.find(top).isEmpty());
    }
}
