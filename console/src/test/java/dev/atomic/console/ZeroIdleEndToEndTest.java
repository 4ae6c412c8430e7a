package dev.atomic.console;

import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.Cgroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An on-demand service's life in a real Atomic: no process at boot, started by its first call, frozen (its
 * cgroup's freezer) when idle, thawed by the next call, stopped after its stop timeout and started again.
 */
class ZeroIdleEndToEndTest {
    private static final Duration BOOT = RunningAtomic.BOOT;
    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void anOnDemandServiceStartsOnItsFirstCallFreezesWhenIdleThawsForACallAndStops() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "freezing needs cgroups: root");
        String instance = "test-idle-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", ZeroIdleSystems.NAME)) {
            atomic.await("services .* lazy on demand, not started", BOOT);
            atomic.await("dak .* poker ready", BOOT); // the boot is ready once its first call is answered
            String group = instance + "/services/lazy";
            assertEquals(List.of(), processes(group), "no process at boot");
            String resting = status(instance);
            assertTrue(resting.contains("component lazy (services) pid 0 on demand, not started"), resting);

            String first = call(atomic, 1);
            atomic.await("lazy \\(services\\) started on demand in [\\d.]+ ms: pid \\d+, 1 held request\\(s\\) delivered",
                    STEP);
            long process = processIn(first);
            assertFalse(processes(group).isEmpty(), "started in its own group");

            atomic.await("lazy \\(services\\) frozen: no request for 1 s", STEP);
            Cgroup lazy = Cgroups.detect().find(group).orElseThrow();
            assertTrue(lazy.frozen(), "the freezer says FROZEN");
            String frozen = status(instance);
            assertTrue(frozen.contains("on demand, frozen"), frozen);
            long cpu = lazy.usage().cpuNanos();
            Thread.sleep(300);
            if (lazy.frozen() && cpu >= 0) { // still frozen (a slow host may be past the stop timeout already)
                assertEquals(cpu, lazy.usage().cpuNanos(), "frozen, it used no CPU at all");
            }

            String second = call(atomic, 2);
            assertEquals(process, processIn(second), "thawed, not started again: " + second);
            atomic.await("lazy \\(services\\) thawed in [\\d.]+ ms, 1 held request\\(s\\) delivered", STEP);
            assertFalse(lazy.frozen());

            atomic.await("lazy \\(services\\) stopped: no request for 6 s", STEP);
            // Said once its JVM is gone; bubblewrap, its parent in the same group, follows it a moment later.
            long gone = System.nanoTime() + STEP.toNanos();
            while (!processes(group).isEmpty() && System.nanoTime() < gone) {
                Thread.sleep(20);
            }
            assertEquals(List.of(), processes(group), "stopped: its process is gone");
            String stopped = status(instance);
            assertTrue(stopped.contains("component lazy (services) pid 0 on demand, stopped"), stopped);

            String third = call(atomic, 3);
            assertNotEquals(process, processIn(third), "started again: " + third);
            atomic.await("lazy \\(services\\) started on demand in", STEP);
            assertFalse(atomic.transcript().contains("FAULT"), "freezing and stopping are not faults:\n"
                    + atomic.transcript());
        }
    }

    /** Has poker call lazy with {@code n}; what came back. */
    private String call(RunningAtomic atomic, int n) throws Exception {
        Path dir = home.resolve("state").resolve(atomic.instance).resolve("poker");
        Files.writeString(dir.resolve("call-" + n), "");
        Path answer = dir.resolve("answer-" + n);
        long end = System.nanoTime() + STEP.toNanos();
        while (!Files.exists(answer)) {
            assertTrue(System.nanoTime() < end, "no answer to call " + n + ":\n" + atomic.transcript());
            Thread.sleep(20);
        }
        String said = Files.readString(answer);
        assertTrue(said.startsWith("lazy " + n + " from process "), said);
        return said;
    }

    private static long processIn(String answer) {
        return Long.parseLong(answer.substring(answer.lastIndexOf(' ') + 1));
    }

    private static List<Long> processes(String group) throws Exception {
        Optional<Cgroup> g = Cgroups.detect().find(group);
        return g.map(Cgroup::processes).orElse(List.of());
    }

    private String status(String instance) {
        StringWriter out = new StringWriter();
        var cli = new picocli.CommandLine(new AtomicCli());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("status", "--instance", instance, "--home", home.toString()));
        return out.toString();
    }
}
