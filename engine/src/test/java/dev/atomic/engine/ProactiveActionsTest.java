package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.policy.TunableStore;
import dev.atomic.system.PidFd;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProactiveActionsTest {
    private final List<String> said = new ArrayList<>();

    private static List<String> sent(Member m) {
        List<String> sent = new ArrayList<>();
        m.segment.deliveries().lane(Priority.CRITICAL).poll((type, b, index, length) -> sent.add(FrameType.name(type)),
                10);
        return sent;
    }

    /** What the Engine asked the Sovereign for on the admin lane, as "TYPE target". */
    private static List<String> asked(ControlRegion control) {
        List<String> asked = new ArrayList<>();
        control.admin().poll((type, b, index, length) -> asked.add(FrameType.name(type) + " "
                + Frame.target(b, index)), 10);
        return asked;
    }

    @Test
    void aPredictedFailureCheckpointsOnceThenRestartsPlannedAtMostOnceAMinute() throws Exception {
        ComponentSpec spec = new ComponentSpec("keeper", Kernel.SERVICES, "service", Image.java("x.Keeper"), List.of(),
                List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.CHECKPOINTED, SandboxGrants.NONE, 2);
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("proactive-test",
                ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid());
             ExitWatcher exits = new ExitWatcher(() -> { })) {
            Member m = new Member(0, spec, LaneSegment.format(SharedMemory.create("proactive-test",
                    LaneSegment.sizeFor(4096)), 0, 4096));
            try {
                StateMirror mirror = new StateMirror(control.mirror(), new Member[]{m});
                mirror.start(1, "proactive test", control.orders());
                Supervisor supervisor = new Supervisor(control, new Member[]{m}, exits, new SayingListener(said::add), mirror, System::nanoTime);
                m.state = Member.State.READY;
                m.pid = ProcessHandle.current().pid();
                m.pidFd = PidFd.open(m.pid); // watched, never signalled here
                TunableStore store = new TunableStore();
                EngineTunables tunables = new EngineTunables(new String[]{"keeper"}, EngineTunables.RESTART);
                tunables.define(store);
                ProactiveActions actions = new ProactiveActions(1, said::add);
                Member[] members = {m};

                actions.tick(0, members, tunables, supervisor);
                assertEquals(List.of(), sent(m), "on its default: nothing done");
                assertEquals(List.of(), asked(control), "on its default: no spare asked for");
                store.set("proactive.keeper", EngineTunables.CHECKPOINT, "failure", "fails within 30 s", 0);
                tunables.publish(store, 0);
                actions.tick(1, members, tunables, supervisor);
                actions.tick(2, members, tunables, supervisor);
                assertEquals(List.of("CHECKPOINT"), sent(m), "once for the process");
                assertEquals(List.of("PREWARM 0"), asked(control), "a warm spare, once for the process");
                assertTrue(said.stream().anyMatch(s -> s.contains("asked keeper (services) for a checkpoint now")
                        && s.contains("failure: fails within 30 s")), said.toString());

                store.set("proactive.keeper", EngineTunables.RESTART, "failure", "fails within 30 s, surely", 0);
                tunables.publish(store, 0);
                actions.tick(3, members, tunables, supervisor);
                assertEquals(List.of(), sent(m), "the planned restart waits for the Sovereign's answer on the spare");
                actions.spareAnswered(0, true, "a warm spare for keeper is ready (pid 7)");
                actions.tick(4, members, tunables, supervisor);
                assertEquals(List.of("CHECKPOINT", "STOP"), sent(m), "a planned restart: its state first");
                assertTrue(m.plannedRestart);
                actions.tick(5, members, tunables, supervisor);
                assertEquals(List.of(), sent(m), "not again within a minute");
                assertTrue(said.stream().anyMatch(s -> s.startsWith("proactive: restarting keeper (services) before "
                        + "it fails")), said.toString());
                assertTrue(said.contains("proactive: a warm spare for keeper is ready (pid 7)"), said.toString());
            } finally {
                m.closePidFd();
                m.segment.close();
            }
        }
    }

    @Test
    void aPlannedRestartWaitsForTheSpareOnlySoLong() throws Exception {
        ComponentSpec spec = new ComponentSpec("leaky", Kernel.SERVICES, "service", Image.java("x.Leaky"), List.of(),
                List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, 2);
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("proactive-test",
                ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid());
             ExitWatcher exits = new ExitWatcher(() -> { })) {
            Member m = new Member(0, spec, LaneSegment.format(SharedMemory.create("proactive-test",
                    LaneSegment.sizeFor(4096)), 0, 4096));
            try {
                StateMirror mirror = new StateMirror(control.mirror(), new Member[]{m});
                mirror.start(1, "proactive test", control.orders());
                Supervisor supervisor = new Supervisor(control, new Member[]{m}, exits, new SayingListener(said::add),
                        mirror, System::nanoTime);
                m.state = Member.State.READY;
                m.pid = ProcessHandle.current().pid();
                m.pidFd = PidFd.open(m.pid);
                TunableStore store = new TunableStore();
                EngineTunables tunables = new EngineTunables(new String[]{"leaky"}, EngineTunables.RESTART);
                tunables.define(store);
                ProactiveActions actions = new ProactiveActions(1, said::add);
                Member[] members = {m};
                store.set("proactive.leaky", EngineTunables.RESTART, "failure", "fails within 30 s", 0);
                tunables.publish(store, 0);

                long t = 1_000;
                actions.tick(t, members, tunables, supervisor);
                assertEquals(List.of("PREWARM 0"), asked(control));
                actions.tick(t + ProactiveActions.SPARE_WAIT_NANOS - 1, members, tunables, supervisor);
                assertEquals(List.of(), sent(m), "still waiting for the Sovereign's answer");
                actions.tick(t + ProactiveActions.SPARE_WAIT_NANOS, members, tunables, supervisor);
                assertEquals(List.of("STOP"), sent(m), "no answer in time: restarted cold, stateless so no CHECKPOINT");
                assertEquals(List.of(), asked(control), "the spare is asked for once per process");
            } finally {
                m.closePidFd();
                m.segment.close();
            }
        }
    }
}
