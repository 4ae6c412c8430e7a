package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.RestartPolicy;
import dev.atomic.system.ChildJvm;
import dev.atomic.system.PidFd;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host's death learnt from its host lock, with a real process holding it: the restart is ordered once, the pidfd's
 * later news of the same death is dropped, and a host that lets go of its lock alive is killed and restarted.
 */
class HostLocksTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final List<String> said = new ArrayList<>();
    private final List<FaultReport> faults = new ArrayList<>();
    private Supervisor supervisor;

    private interface Scenario {
        void run(Member m, Process host, Writer toHost, HostLocks locks, ExitWatcher exits, ControlRegion control)
                throws Exception;
    }

    @Test
    void aHostKilledWithSigkillIsRestartedOnceItsLockIsReleasedAndItsPidfdsNewsIsDropped() throws Exception {
        withHost((m, host, toHost, locks, exits, control) -> {
            long pid = host.pid();
            host.toHandle().destroyForcibly(); // SIGKILL
            awaitDeath(locks);
            assertEquals(Member.State.SPAWNING, m.state, "its restart was ordered at once");
            assertEquals(List.of(), faults, "the report is filed once the restart is under way, not before");
            awaitReport();
            assertEquals(1, faults.size(), faults.toString());
            assertTrue(faults.getFirst().evidence().contains("process " + pid + " is gone (seen by the release of its "
                    + "host lock"), faults.getFirst().evidence());
            // The pidfd says so later: the same death, not a second one.
            ExitWatcher.Exit exit = awaitExit(exits);
            assertEquals(pid, exit.pid());
            assertTrue(locks.handled(exit), "the pidfd's news of a death its lock told is dropped");
            assertEquals(0, locks.tick(false));
            assertEquals(List.of("SPAWN"), orders(control), "exactly one restart ordered");
            assertEquals(1, said.stream().filter(s -> s.startsWith("restarting flaky (dak) now")).count(),
                    said.toString());
        });
    }

    @Test
    void aHostThatLetsGoOfItsLockAliveIsKilledAndRestartedOnce() throws Exception {
        withHost((m, host, toHost, locks, exits, control) -> {
            toHost.write("release\n");
            toHost.flush();
            assertEquals("released, alive", new BufferedReader(new InputStreamReader(host.getInputStream(),
                    StandardCharsets.UTF_8)).readLine());
            awaitDeath(locks);
            assertTrue(host.waitFor(10, TimeUnit.SECONDS), "a host that let go of its lock alive must be killed");
            assertEquals(128 + 9, host.exitValue(), "killed with SIGKILL");
            awaitReport();
            assertEquals(1, faults.size(), faults.toString());
            assertTrue(faults.getFirst().evidence().contains("seen by the release of its host lock"),
                    faults.getFirst().evidence());
            assertTrue(locks.handled(awaitExit(exits)));
            assertEquals(List.of("SPAWN"), orders(control), "exactly one restart ordered");
        });
    }

    /** A planned restart ends the host on purpose: its lock is not watched, the pidfd tells (here, nobody). */
    @Test
    void aHostAskedToStopIsLeftToItsPidfd() throws Exception {
        withHost((m, host, toHost, locks, exits, control) -> {
            m.plannedRestart = true;
            assertEquals(0, locks.tick(false));
            host.toHandle().destroyForcibly();
            assertTrue(host.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, locks.tick(false));
            assertEquals(Member.State.READY, m.state, "left to the pidfd");
            assertFalse(locks.handled(awaitExit(exits)), "not handled by the lock: the Supervisor's to handle");
        });
    }

    /** The Supervisor's ticks, as the Engine's cycles make them, until a death's report is filed. */
    private void awaitReport() throws InterruptedException {
        long giveUp = System.nanoTime() + WAIT_NANOS;
        while (faults.isEmpty() && System.nanoTime() - giveUp < 0) {
            supervisor.tick(System.nanoTime());
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /**
     * A member of slot 0, running as a real process that holds its host lock, its pidfd watched; the lock watched
     * once the first tick has seen it held.
     */
    private void withHost(Scenario scenario) throws Exception {
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("host-locks-test",
                ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid());
             LaneSegment segment = LaneSegment.format(SharedMemory.create("host-locks-test", LaneSegment.sizeFor(4096)),
                     0, 4096)) {
            Member m = new Member(0, SupervisorTest.flaky(RestartPolicy.DEFAULT), segment);
            Member[] members = {m};
            List<String> command = new ArrayList<>(ChildJvm.command(HostLockHolder.class,
                    segment.memory().procPath().toString()));
            command.addAll(1, List.of("--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", // Agrona's
                    "--sun-misc-unsafe-memory-access=allow"));
            Process host = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (ExitWatcher exits = new ExitWatcher(() -> { })) {
                String first = new BufferedReader(new InputStreamReader(host.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertEquals("held true", first, () -> first + readRest(host));
                StateMirror mirror = new StateMirror(control.mirror(), members);
                mirror.start(1, "host locks test", control.orders());
                supervisor = new Supervisor(control, members, exits, new SayingListener(said::add, faults::add), mirror);
                try (HostLocks locks = new HostLocks(members, supervisor)) {
                    m.state = Member.State.READY;
                    m.pid = host.pid();
                    m.pidFd = PidFd.open(m.pid);
                    exits.watch(m.slot, m.pidFd);
                    assertEquals(0, locks.tick(false), "a live holder");
                    scenario.run(m, host, new OutputStreamWriter(host.getOutputStream(), StandardCharsets.UTF_8),
                            locks, exits, control);
                }
            } finally {
                host.toHandle().destroyForcibly();
                host.waitFor(10, TimeUnit.SECONDS);
                m.closePidFd();
            }
        }
    }

    private static String readRest(Process host) {
        host.toHandle().destroyForcibly();
        try {
            return new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Ticks as the duty cycle does until a death is handled. */
    private static void awaitDeath(HostLocks locks) throws InterruptedException {
        long giveUp = System.nanoTime() + WAIT_NANOS;
        while (locks.tick(false) == 0) {
            assertTrue(System.nanoTime() < giveUp, "no death seen by the host lock");
            Thread.sleep(1);
        }
    }

    private static ExitWatcher.Exit awaitExit(ExitWatcher exits) throws InterruptedException {
        long giveUp = System.nanoTime() + WAIT_NANOS;
        for (ExitWatcher.Exit e; ; Thread.sleep(5)) {
            if ((e = exits.nextExit()) != null) {
                return e;
            }
            assertTrue(System.nanoTime() < giveUp, "the pidfd never said the process is gone");
        }
    }

    /** The orders the Supervisor sent the Sovereign, by name. */
    private static List<String> orders(ControlRegion control) {
        List<String> sent = new ArrayList<>();
        control.admin().poll((type, b, index, length) -> sent.add(FrameType.name(type)), 100);
        return sent;
    }
}
