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
import java.util.Optional;
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
        g.setMemorySoftLimit(0);
        assertEquals("0", file("memory", "memory.soft_limit_in_bytes"));
        g.setMemorySoftLimit(-1);
        assertTrue(Long.parseLong(file("memory", "memory.soft_limit_in_bytes")) > 1L << 60, "unlimited");
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

    /**
     * v1 lets a cpuset be exclusive only inside an exclusive parent, and only while no sibling shares its CPUs. The
     * test's top group may itself be refused when other top-level cpusets exist on this host (another Atomic, say):
     * then the refusal must name them and leave nothing changed.
     */
    @Test
    void claimingCpusMakesTheGroupAndItsAncestorsExclusiveOrUndoesEverything() throws Exception {
        Cgroup b = v1.create(top + "/a/b");
        Cgroup c = v1.create(top + "/a/c");
        assumeTrue(file("cpuset", "cpuset.cpus").matches("0-\\d+"), "needs CPUs 0 and 1");
        b.setCpus("1");

        Optional<String> refused = b.claimCpus();
        assertTrue(refused.orElseThrow().contains("Invalid argument"), refused.toString());
        assertTrue(refused.get().contains("an exclusive cpuset may share no CPU with a sibling; beside "), refused.get());
        assertTrue(refused.get().contains("c (CPUs 0-") || refused.get().contains("beside " + top + " are "),
                "names the sibling sharing CPU 1: " + refused.get());
        assertEquals(List.of("0", "0", "0"), exclusiveFlags(), "undone");

        c.setCpus("0");
        refused = b.claimCpus();
        if (refused.isPresent()) {
            assertTrue(refused.get().contains("beside " + top + " are "), refused.get());
            assertEquals(List.of("0", "0", "0"), exclusiveFlags(), "undone");
            return;
        }
        assertEquals(List.of("1", "1", "1"), exclusiveFlags());
        CgroupException taken = assertThrows(CgroupException.class, () -> c.setCpus("1"));
        assertTrue(taken.getMessage().contains("Invalid argument"), taken.getMessage());
        assertEquals("0", Files.readString(mounts.get("cpuset").resolve(top + "/a/c/cpuset.cpus")).strip());
    }

    /** cpuset.cpu_exclusive of the test's top group, of a and of b, in that order. */
    private List<String> exclusiveFlags() throws Exception {
        List<String> flags = new ArrayList<>();
        for (String g : List.of(top, top + "/a", top + "/a/b")) {
            flags.add(Files.readString(mounts.get("cpuset").resolve(g + "/cpuset.cpu_exclusive")).strip());
        }
        return flags;
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
