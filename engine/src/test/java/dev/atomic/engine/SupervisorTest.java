package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failed component is restarted as its manifest's restart policy says, without processes. */
class SupervisorTest {
    private final List<String> said = new ArrayList<>();
    /** Per restart but the last: whether it still waited one nanosecond before its delay ended. */
    private final List<Boolean> backedOff = new ArrayList<>();
    private long now = 1_000_000_000L;

    /** Lets the component fail {@code failures} times in a row and returns its state after the last. */
    private Member.State failRepeatedly(RestartPolicy policy, int failures) throws Exception {
        ComponentSpec spec = flaky(policy);
        return supervise(spec, (supervisor, m, control) -> {
            for (int i = 1; i <= failures; i++) {
                m.state = Member.State.READY;
                m.pid = 1000 + i;
                supervisor.onExit(new ExitWatcher.Exit(0, m.pid, now));
                if (i < failures) {
                    long due = m.restartAt;
                    now = due == 0 ? now : due - 1;
                    supervisor.tick(now);
                    backedOff.add(m.state == Member.State.STOPPED);
                    now++;
                    supervisor.tick(now);
                    assertEquals(Member.State.SPAWNING, m.state, "started once its delay is over");
                }
            }
            now += Supervisor.REPORT_AFTER_NANOS; // the last death's report and words are filed
            supervisor.tick(now);
        });
    }

    private interface Scenario {
        void run(Supervisor supervisor, Member m, ControlRegion control) throws Exception;
    }

    /** Runs {@code scenario} on a Supervisor of one member, without processes; the member's state after it. */
    private Member.State supervise(ComponentSpec spec, Scenario scenario) throws Exception {
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("supervisor-test",
                ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid())) {
            Member m = new Member(0, spec, LaneSegment.format(SharedMemory.create("supervisor-test",
                    LaneSegment.sizeFor(4096)), 0, 4096));
            // The watcher stops before the pidfds it may be polling are closed.
            try (ExitWatcher exits = new ExitWatcher(() -> { })) {
                StateMirror mirror = new StateMirror(control.mirror(), new Member[]{m});
                mirror.start(1, "supervisor test", control.orders());
                scenario.run(new Supervisor(control, new Member[]{m}, exits, new SayingListener(said::add), mirror, () -> now), m, control);
            } finally {
                m.closePidFd();
                m.segment.close();
            }
            return m.state;
        }
    }

    static ComponentSpec flaky(RestartPolicy policy) {
        return new ComponentSpec("flaky", Kernel.DAK, "app", Image.java("x.Flaky"), List.of(), List.of(), 1, 1, 1, 0,
                0, "1.0.0", policy, StateKind.STATELESS, SandboxGrants.NONE, 2);
    }

    @Test
    void theDefaultPolicyRestartsFiveTimesInThirtySecondsThenGivesUp() throws Exception {
        assertEquals(Member.State.GAVE_UP, failRepeatedly(RestartPolicy.DEFAULT, 6));
        assertEquals(List.of("restarting flaky (dak) now (restart 1 of at most 5 in 30 s)",
                "restarting flaky (dak) in 100 ms (restart 2 of at most 5 in 30 s)",
                "restarting flaky (dak) in 200 ms (restart 3 of at most 5 in 30 s)",
                "restarting flaky (dak) in 400 ms (restart 4 of at most 5 in 30 s)",
                "restarting flaky (dak) in 800 ms (restart 5 of at most 5 in 30 s)",
                "gave up on flaky (dak): it failed 6 times in 30 s (at most 5 restarts)"), said);
        assertEquals(List.of(false, true, true, true, true), backedOff, "only the first restart is at once");
    }

    @Test
    void aManifestsLimitAndWindowAreTheOnesApplied() throws Exception {
        RestartPolicy one = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, Duration.ofMinutes(2));
        assertEquals(Member.State.SPAWNING, failRepeatedly(one, 1));
        assertEquals(List.of("restarting flaky (dak) now (restart 1 of at most 1 in 2 min)"), said);
        said.clear();
        assertEquals(Member.State.GAVE_UP, failRepeatedly(one, 2));
        assertEquals("gave up on flaky (dak): it failed 2 times in 2 min (at most 1 restarts)", said.getLast());
    }

    @Test
    void neverMeansTheFirstFailureIsTheLast() throws Exception {
        assertEquals(Member.State.GAVE_UP, failRepeatedly(new RestartPolicy(RestartPolicy.Mode.NEVER, 5,
                Duration.ofSeconds(30)), 1));
        assertEquals(List.of("gave up on flaky (dak): its restart policy is 'never'"), said);
    }

    /**
     * A death restarted at once is said, with its report, once the restart is under way; a component back says so a
     * little after its dependents heard, its report first: nothing is said while the new incarnation's first calls
     * cross.
     */
    @Test
    void theWordsOfARestartWaitUntilItsFirstCallsHadTheirTurn() throws Exception {
        List<FaultReport> reports = new ArrayList<>();
        List<String> settled = new ArrayList<>();
        ComponentSpec spec = flaky(RestartPolicy.DEFAULT);
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("supervisor-test",
                ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid());
             ExitWatcher exits = new ExitWatcher(() -> { })) {
            Member m = new Member(0, spec, LaneSegment.format(SharedMemory.create("supervisor-test",
                    LaneSegment.sizeFor(4096)), 0, 4096));
            try {
                StateMirror mirror = new StateMirror(control.mirror(), new Member[]{m});
                mirror.start(1, "supervisor test", control.orders());
                Supervisor supervisor = new Supervisor(control, new Member[]{m}, exits,
                        new SayingListener(said::add, reports::add,
                                member -> settled.add(member.state + ", " + said.size() + " said")), mirror, () -> now);
                m.state = Member.State.READY;
                m.pid = 1001;
                supervisor.onExit(new ExitWatcher.Exit(0, m.pid, now));
                assertEquals(Member.State.SPAWNING, m.state, "its restart ordered at once");
                assertEquals(List.of(), said, "nothing said while the restart is under way");
                supervisor.onSpawned(m, m.segment.generation(), ProcessHandle.current().pid());
                now += 5_000_000;
                supervisor.onReady(m);
                assertEquals(List.of("READY, 0 said"), settled, "its dependents hear it is back before any word");
                assertEquals(List.of(), reports, "its report waits for its first calls too");
                now += Supervisor.BACK_WORDS_AFTER_NANOS - 1;
                supervisor.tick(now);
                assertEquals(List.of(), said);
                now++;
                supervisor.tick(now);
                assertEquals(1, reports.size(), "its report, filed once it had been back a while");
                assertEquals(2, said.size(), said.toString());
                assertEquals("restarting flaky (dak) now (restart 1 of at most 5 in 30 s)", said.get(0));
                assertTrue(said.get(1).startsWith("flaky (dak) is back: pid " + ProcessHandle.current().pid()
                        + ", recovered "), said.get(1));
            } finally {
                m.closePidFd();
                m.segment.close();
            }
        }
    }

    @Test
    void aPlannedRestartOfACheckpointedComponentAsksForItsStateBeforeItsStop() throws Exception {
        ComponentSpec spec = new ComponentSpec("keeper", Kernel.SERVICES, "service", Image.java("x.Keeper"), List.of(),
                List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.CHECKPOINTED, SandboxGrants.NONE, 2);
        supervise(spec, (supervisor, m, control) -> {
            m.state = Member.State.READY;
            m.pid = ProcessHandle.current().pid();
            m.pidFd = dev.atomic.system.PidFd.open(m.pid); // watched, never signalled here
            supervisor.restart(m);
            List<String> sent = new ArrayList<>();
            m.segment.deliveries().lane(dev.atomic.bridge.Priority.CRITICAL).poll(
                    (type, b, index, length) -> sent.add(dev.atomic.bridge.FrameType.name(type)), 10);
            assertEquals(List.of("CHECKPOINT", "STOP"), sent, "its last state reaches the Engine before it exits");
            supervisor.onExit(new ExitWatcher.Exit(0, m.pid, System.nanoTime()));
            assertEquals(Member.State.SPAWNING, m.state, "started again at once, no back-off: it did not fail");
            supervisor.onSpawned(m, m.segment.generation(), m.pid);
            supervisor.onReady(m);
            now += Supervisor.BACK_WORDS_AFTER_NANOS;
            supervisor.tick(now);
            assertTrue(said.getLast().matches("keeper \\(services\\) is back: pid \\d+, recovered [0-9.]+ ms after it "
                    + "stopped for its planned restart"), "no fault to recover from: " + said.getLast());
        });
    }

    @Test
    void anEngineTakingOverAdoptsThePidTheSovereignRecordedNotTheOneTheComponentWrote() throws Exception {
        Process component = new ProcessBuilder("sleep", "60").start();
        try {
            supervise(flaky(RestartPolicy.DEFAULT), (supervisor, m, control) -> {
                control.slotPid(m.slot, component.pid());
                long sovereign = ProcessHandle.current().parent().orElseThrow().pid();
                m.segment.componentPid(sovereign); // forged: contained one day, the Sovereign would be killed
                m.segment.componentReady(true);
                assertTrue(supervisor.adopt(m));
                assertEquals(component.pid(), m.pid);
                assertEquals(Member.State.READY, m.state);
                assertTrue(said.getLast().contains("names pid " + sovereign), said.toString());
            });
        } finally {
            component.toHandle().destroyForcibly();
        }
    }

    @Test
    void aSlotWithoutARecordedPidIsNotAdopted() throws Exception {
        supervise(flaky(RestartPolicy.DEFAULT), (supervisor, m, control) -> {
            m.segment.componentPid(ProcessHandle.current().pid());
            assertFalse(supervisor.adopt(m), "only the Sovereign's record counts");
        });
    }
}
