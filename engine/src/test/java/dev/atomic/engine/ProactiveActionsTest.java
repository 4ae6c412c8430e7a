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
    private final ActionLog log = new ActionLog();

    /** The frames the Engine sent {@code m} on its critical lane, by name. */
    static List<String> sent(Member m) {
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

    /** One running component of {@code state}, its supervisor, the Engine's tunables and the actions under test. */
    private final class Running implements AutoCloseable {
        final ControlRegion control = ControlRegion.format(SharedMemory.create("proactive-test",
                ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid());
        final ExitWatcher exits = new ExitWatcher(() -> { });
        final Member m;
        final Member[] members;
        final Supervisor supervisor;
        final TunableStore store = new TunableStore();
        final EngineTunables tunables;
        final ProactiveActions actions = new ProactiveActions(1, said::add, log);

        Running(String id, StateKind state) throws Exception {
            ComponentSpec spec = new ComponentSpec(id, Kernel.SERVICES, "service", Image.java("x.Y"), List.of(),
                    List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, state, SandboxGrants.NONE, 2);
            m = new Member(0, spec, LaneSegment.format(SharedMemory.create("proactive-test", LaneSegment.sizeFor(4096)),
                    0, 4096));
            members = new Member[]{m};
            StateMirror mirror = new StateMirror(control.mirror(), members);
            mirror.start(1, "proactive test", control.orders());
            supervisor = new Supervisor(control, members, exits, new SayingListener(said::add), mirror,
                    System::nanoTime);
            m.state = Member.State.READY;
            m.pid = ProcessHandle.current().pid();
            m.pidFd = PidFd.open(m.pid); // watched, never signalled here
            tunables = new EngineTunables(new String[]{id}, EngineTunables.RESTART);
            tunables.define(store);
        }

        void predict(int level, String why) {
            store.set("proactive." + m.spec.id(), level, "failure", why, 0);
            tunables.publish(store, 0);
        }

        void tick(long now) {
            actions.tick(now, members, tunables, supervisor);
        }

        @Override
        public void close() {
            m.closePidFd();
            m.segment.close();
            exits.close();
            control.close();
        }
    }

    @Test
    void aPredictedFailureCheckpointsOnceThenRestartsPlannedAtMostOnceAMinute() throws Exception {
        try (Running r = new Running("keeper", StateKind.CHECKPOINTED)) {
            r.tick(0);
            assertEquals(List.of(), sent(r.m), "on its default: nothing done");
            assertEquals(List.of(), asked(r.control), "on its default: no spare asked for");
            r.predict(EngineTunables.CHECKPOINT, "fails within 30 s");
            r.tick(1);
            r.tick(2);
            assertEquals(List.of("CHECKPOINT"), sent(r.m), "once for the process");
            assertEquals(List.of("PREWARM 0"), asked(r.control), "a warm spare, once for the process");
            assertTrue(said.stream().anyMatch(s -> s.contains("asked keeper (services) for a checkpoint now")
                    && s.contains("failure: fails within 30 s")), said.toString());

            r.predict(EngineTunables.RESTART, "fails within 30 s, surely");
            r.tick(3);
            assertEquals(List.of(), sent(r.m), "the planned restart waits for the Sovereign's answer on the spare");
            r.actions.spareAnswered(0, true, "a warm spare for keeper is ready (pid 7)");
            r.tick(4);
            assertEquals(List.of("CHECKPOINT", "STOP"), sent(r.m), "a planned restart: its state first");
            assertTrue(r.m.plannedRestart);
            r.tick(5);
            assertEquals(List.of(), sent(r.m), "not again within a minute");
            assertTrue(said.stream().anyMatch(s -> s.startsWith("proactive: restarting keeper (services) before "
                    + "it fails")), said.toString());
            assertTrue(said.contains("proactive: a warm spare for keeper is ready (pid 7)"), said.toString());
            List<PolicyState.Action> done = log.collect().get("keeper");
            assertEquals(List.of("planned-restart", "checkpoint", "spare"), done.stream().map(PolicyState.Action::kind)
                    .toList(), "each kept for atomic explain, newest first");
            assertTrue(done.stream().allMatch(a -> a.by().equals("failure")), "on policy 2's word: " + done);
            assertTrue(done.getFirst().why().contains("fails within 30 s, surely"), done.getFirst().why());
        }
    }

    @Test
    void aPlannedRestartWaitsForTheSpareOnlySoLong() throws Exception {
        try (Running r = new Running("leaky", StateKind.STATELESS)) {
            r.predict(EngineTunables.RESTART, "fails within 30 s");
            long t = 1_000;
            r.tick(t);
            assertEquals(List.of("PREWARM 0"), asked(r.control));
            r.tick(t + SpareWaits.WAIT_NANOS - 1);
            assertEquals(List.of(), sent(r.m), "still waiting for the Sovereign's answer");
            r.tick(t + SpareWaits.WAIT_NANOS);
            assertEquals(List.of("STOP"), sent(r.m), "no answer in time: restarted cold, stateless so no CHECKPOINT");
            assertEquals(List.of(), asked(r.control), "the spare is asked for once per process");
        }
    }
}
