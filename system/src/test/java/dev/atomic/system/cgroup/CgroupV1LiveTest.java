package dev.atomic.system.cgroup;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** On this host's real cgroup v1 hierarchies, inside a group of its own. Skipped where there are none, or not root. */
class CgroupV1LiveTest {
    private static final List<String> USED = List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "freezer");
    @TempDir
    Path tmp;
    private Map<String, Path> mounts;
    private CgroupV1 v1;
    private String top;
    private final List<java.lang.Process> started = new ArrayList<>();

    @BeforeEach
    void host() throws Exception {
        Live.assumeRoot();
        CgroupMounts m = CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo")));
        mounts = m.v1Controllers();
        assumeTrue(mounts.keySet().containsAll(USED),
                "needs every cgroup v1 controller Atomic uses");
        v1 = new CgroupV1(m);
        top = Live.testRoot();
    }

    @AfterEach
    void scrub() throws Exception {
        if (top != null) {
            Live.scrub(mounts.values(), top, started);
        }
    }

    private java.lang.Process start(String... command) throws Exception {
        java.lang.Process p = new ProcessBuilder(command).start();
        started.add(p);
        return p;
    }

    private String file(String controller, String name) throws Exception {
        return Files.readString(mounts.get(controller).resolve(top + "/a/b/" + name)).strip();
    }

    @Test
    void limitsMembershipFreezingUsageKillingAndRemoval() throws Exception {
        Cgroup g = v1.create(top + "/a/b");
        for (String controller : USED) {
            assertTrue(Files.isDirectory(mounts.get(controller).resolve(top + "/a/b")), controller);
        }
        if (mounts.containsKey("devices")) {
            assertFalse(Files.exists(mounts.get("devices").resolve(top)), "only the hierarchies Atomic uses");
        }
        assertFalse(file("cpuset", "cpuset.cpus").isEmpty(), "inherited, or nobody could join");
        assertFalse(file("cpuset", "cpuset.mems").isEmpty());

        g.setMemoryMax(64L << 20);
        assertEquals("67108864", file("memory", "memory.limit_in_bytes"));
        g.setPidsMax(50);
        assertEquals("50", file("pids", "pids.max"));
        g.setCpuQuota(50_000, 100_000);
        assertEquals("50000", file("cpu", "cpu.cfs_quota_us"));
        g.setCpuWeight(25);
        assertEquals("256", file("cpu", "cpu.shares"));
        assertEquals("100000", file("cpu", "cpu.cfs_period_us"));
        g.setCpus("0");
        assertEquals("0", file("cpuset", "cpuset.cpus"));

        java.lang.Process sleep = start("sleep", "30");
        Path count = tmp.resolve("count");
        java.lang.Process counter = Live.counter(count);
        started.add(counter);
        g.addProcess(sleep.pid());
        g.addProcess(counter.pid());
        assertEquals(List.of(Math.min(sleep.pid(), counter.pid()), Math.max(sleep.pid(), counter.pid())), g.processes());
        String cgroups = Files.readString(Path.of("/proc/" + sleep.pid() + "/cgroup"));
        for (String controller : List.of("memory", "pids", "freezer", "cpuset")) {
            assertTrue(cgroups.contains(":" + controller + ":/" + top + "/a/b\n"), cgroups);
        }
        assertTrue(Live.moves(count, 2000), "the counter runs");

        g.freeze();
        assertTrue(g.frozen());
        assertEquals("FROZEN", file("freezer", "freezer.state"));
        assertEquals("D", Live.state(sleep.pid()), "a v1-frozen task sleeps uninterruptibly");
        assertFalse(Live.moves(count, 200), "frozen, the counter stands still");
        g.thaw();
        assertFalse(g.frozen());
        assertEquals("THAWED", file("freezer", "freezer.state"));
        assertTrue(Live.moves(count, 2000), "thawed, it counts again");

        CgroupUsage usage = g.usage();
        assertTrue(usage.memoryBytes() > 0, usage.toString());
        assertTrue(usage.cpuNanos() > 1_000_000, "the counter burned CPU: " + usage);
        assertEquals(2, usage.pids(), usage.toString());

        CgroupException busy = assertThrows(CgroupException.class, () -> v1.find(top).orElseThrow().remove());
        assertTrue(busy.getMessage().contains(Long.toString(sleep.pid())), busy.getMessage());
        assertTrue(busy.getMessage().contains("killAll() first"), busy.getMessage());

        g.freeze();
        g.killAll();
        assertTrue(sleep.waitFor(2, TimeUnit.SECONDS), "SIGKILL reached a frozen group");
        assertTrue(counter.waitFor(2, TimeUnit.SECONDS));
        assertEquals(List.of(), g.processes());
        assertFalse(g.frozen(), "killAll leaves the group thawed");

        v1.find(top).orElseThrow().remove();
        for (Path root : mounts.values()) {
            assertFalse(Files.exists(root.resolve(top)), root.toString());
        }
        assertTrue(v1.find(top).isEmpty());
    }

    @Test
    void procsFilesAreOnePerHierarchy() {
        Cgroup g = v1.create(top);
        long hierarchies = USED.stream().map(mounts::get).distinct().count();
        assertEquals(hierarchies, g.procsFiles().size(), g.procsFiles().toString());
        assertTrue(g.procsFiles().stream().allMatch(Files::isWritable));
        assertEquals(List.of(), g.processes());
        g.remove();
    }
}
