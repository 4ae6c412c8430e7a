package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.FastPathSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.component.SystemSpec;
import dev.atomic.policy.TunableStore;
import dev.atomic.system.PidFd;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Policy 5's word acted on: a Tier 1 provider it demotes is held off its fast path and moved to a process of its own
 * through a planned restart onto a spare (checkpointed first, no fault); its promotion lifts it the same way.
 */
class TierActionsTest {
    private final List<String> said = new ArrayList<>();
    private final List<FaultReport> reported = new ArrayList<>();
    private final ActionLog log = new ActionLog();

    /** What the Engine asked the Sovereign for, as "TYPE target status". */
    private static List<String> asked(ControlRegion control) {
        List<String> asked = new ArrayList<>();
        control.admin().poll((type, b, index, length) -> asked.add(FrameType.name(type) + " "
                + Frame.target(b, index) + " " + Frame.status(b, index)), 10);
        return asked;
    }

    /** What the fast paths did, kept in the test's action log. */
    private FastPaths.Listener listener() {
        return new FastPaths.Listener() {
            @Override
            public void audit(Member member, String kind, String what) {
            }

            @Override
            public void say(String text) {
            }

            @Override
            public void acted(Member member, String kind, String what, String why) {
                log.again(member.spec.id(), ActionLog.ENGINE, kind, what, why);
            }
        };
    }

        private static Member member(int slot, ComponentSpec spec) {
        return new Member(slot, spec, LaneSegment.format(SharedMemory.create("tier-test", LaneSegment.sizeFor(4096)),
                slot, 4096));
    }

    @Test
    void aDemotedTier1ProviderLeavesItsFastPathAndItsPartitionHostPlannedAndItsPromotionLiftsIt() throws Exception {
        ComponentSpec app = new ComponentSpec("app", Kernel.DAK, "app", Image.java("x.App"), List.of(),
                SystemSpec.refs("echo@1"), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS,
                SandboxGrants.NONE, 2);
        ComponentSpec echo = new ComponentSpec("echo", Kernel.SERVICES, "service", Image.java("x.Echo"),
                SystemSpec.refs("echo@1"), List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT,
                StateKind.CHECKPOINTED, SandboxGrants.NONE, 1);
        Member[] members = {member(0, app), member(1, echo)};
        Member m = members[1];
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("tier-test", ControlRegion.sizeFor(2, 0,
                1, 4096)), 2, 0, 1, 4096, ProcessHandle.current().pid());
             ExitWatcher exits = new ExitWatcher(() -> { });
             FastPathSegment ring = FastPathSegment.format(SharedMemory.create("tier-test", FastPathSegment.sizeFor(
                     4096)), 0, 4096)) {
            StateMirror mirror = new StateMirror(control.mirror(), members);
            mirror.start(1, "tier test", control.orders());
            Supervisor supervisor = new Supervisor(control, members, exits, new SayingListener(said::add,
                    reported::add), mirror, System::nanoTime);
            FastPaths fastPaths = new FastPaths(List.of(new FastPathSpec("app", "echo", 0)), List.of(ring),
                    List.of("ring"), members, List.of("echo"), new int[]{1}, listener(), mirror);
            fastPaths.restore(new long[][]{{FastPaths.State.OPEN.ordinal(), 1, 0}}, 0); // open, as a successor finds it
            long partitionHost = ProcessHandle.current().pid();
            for (Member x : members) {
                x.state = Member.State.READY;
                x.pid = partitionHost;
            }
            m.pidFd = PidFd.open(m.pid); // watched, never signalled here
            TunableStore store = new TunableStore();
            EngineTunables tunables = new EngineTunables(new String[]{"app", "echo"}, EngineTunables.CHECKPOINT,
                    EngineTunables.OUT_OF_TIER_1);
            tunables.define(store);
            TierActions actions = new TierActions(2, said::add, log);

            long t = 1_000;
            actions.tick(t, members, tunables, supervisor, fastPaths, control);
            assertEquals(List.of(), asked(control), "on its default: nothing done");
            assertEquals(List.of(), ProactiveActionsTest.sent(members[0]));

            store.set("tier.echo", -2, "tier", "it restarted", 0);
            tunables.publish(store, 0);
            actions.tick(t + 1, members, tunables, supervisor, fastPaths, control);
            assertEquals(List.of("FASTPATH_REVOKE"), ProactiveActionsTest.sent(members[0]), "its fast path revoked, the caller first");
            assertEquals(List.of("DEMOTE 1 " + FrameType.DEMOTE_PLANNED, "PREWARM 1 0"), asked(control),
                    "the Sovereign told it starts in a process of its own from its next start, and asked for a spare");
            assertEquals(List.of(), ProactiveActionsTest.sent(m), "the restart waits for the spare");
            assertTrue(m.demotion.planned() && !m.demotion.demoted());

            actions.spareAnswered(1);
            actions.tick(t + 2, members, tunables, supervisor, fastPaths, control);
            assertEquals(List.of("CHECKPOINT", "STOP"), ProactiveActionsTest.sent(m), "a planned restart: its state saved first");
            assertTrue(m.plannedRestart);
            // Its partition host unloads it as it stops; the Supervisor starts it again, now in a process of its own.
            supervisor.onUnloaded(m, 0, m.segment.generation(), "");
            supervisor.tick(t + 3);
            assertEquals(List.of("SPAWN 1 " + m.segment.generation()), asked(control));
            assertTrue(m.demotion.demoted() && m.demotion.byPolicy(), "the Engine knows it runs in its own process");
            assertEquals(List.of(), reported, "no fault: it had not failed");
            fastPaths.tick(t + 3, null); // held: not reopened (it would ask the router whether it may)

            // Promoted after a clean period: lifted the same way, but not within five minutes of the move.
            m.state = Member.State.READY;
            store.set("tier.echo", 0, "tier", "its demotion lifted: 60 s without a restart or a fault", 1);
            tunables.publish(store, 1);
            actions.tick(t + 4, members, tunables, supervisor, fastPaths, control);
            assertEquals(List.of(), asked(control), "not moved again so soon");
            actions.tick(t + TierActions.MOVE_EVERY_NANOS + 1, members, tunables, supervisor, fastPaths, control);
            assertEquals(List.of("DEMOTE 1 " + FrameType.DEMOTE_LIFTED), asked(control));
            assertEquals(List.of("CHECKPOINT", "STOP"), ProactiveActionsTest.sent(m));
            assertTrue(m.demotion.planned());

            List<PolicyState.Action> done = log.collect().get("echo");
            assertEquals(List.of("promote", "promote", "planned-restart", "demote", "demote", "fast-path"),
                    done.stream().map(PolicyState.Action::kind).toList(), done.toString());
            assertTrue(done.stream().filter(a -> !a.kind().equals("fast-path")).allMatch(a -> a.by().equals("tier")),
                    done.toString());
            assertTrue(done.get(3).why().contains("tier.echo = -2, tier: it restarted"), done.get(3).why());
        } finally {
            m.closePidFd();
            for (Member x : members) {
                x.segment.close();
            }
        }
    }

    @Test
    void anEarnedTier1StartsOutOfItsPartitionHostAndPolicy5sPromotionMovesItInUnlessTheCeilingForbidsMoves()
            throws Exception {
        ComponentSpec earner = new ComponentSpec("earner", Kernel.SERVICES, "service", Image.java("x.Earner"),
                List.of(), List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS,
                SandboxGrants.NONE, 1, dev.atomic.component.Activation.BOOT, List.of(),
                dev.atomic.component.Watch.DEFAULT, List.of(), true);
        for (int ceiling : new int[]{EngineTunables.OFF_FAST_PATHS, EngineTunables.OUT_OF_TIER_1}) {
            Member m = member(0, earner);
            Member[] members = {m};
            try (ControlRegion control = ControlRegion.format(SharedMemory.create("tier-test",
                    ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, ProcessHandle.current().pid());
                 ExitWatcher exits = new ExitWatcher(() -> { })) {
                StateMirror mirror = new StateMirror(control.mirror(), members);
                mirror.start(1, "tier test", control.orders());
                Supervisor supervisor = new Supervisor(control, members, exits, new SayingListener(said::add,
                        reported::add), mirror, System::nanoTime);
                FastPaths fastPaths = new FastPaths(List.of(), List.of(), List.of(), members, List.of("earner"),
                        new int[]{0}, listener(), mirror);
                m.state = Member.State.READY;
                m.pid = ProcessHandle.current().pid();
                m.pidFd = PidFd.open(m.pid); // watched, never signalled here
                assertTrue(m.demotion.demoted() && m.demotion.byPolicy(), "it starts in a process of its own");
                TunableStore store = new TunableStore();
                EngineTunables tunables = new EngineTunables(new String[]{"earner"}, EngineTunables.CHECKPOINT,
                        ceiling, java.util.Set.of("earner"));
                tunables.define(store);
                tunables.publish(store, 0);
                assertEquals(ceiling, tunables.distrust(0), "its default: the most distrust allowed");
                TierActions actions = new TierActions(1, said::add, log);
                actions.tick(1_000, members, tunables, supervisor, fastPaths, control);
                assertEquals(List.of(), asked(control), "nothing to do until it is promoted");

                store.set("tier.earner", 0, "tier", "promoted: it earned Tier 1: 60 s clean", 1);
                tunables.publish(store, 1);
                actions.tick(2_000, members, tunables, supervisor, fastPaths, control);
                if (ceiling < EngineTunables.OUT_OF_TIER_1) {
                    assertEquals(List.of(), asked(control), "the operator allows no tier moves");
                    assertEquals(List.of(), ProactiveActionsTest.sent(m));
                } else {
                    assertEquals(List.of("DEMOTE 0 " + FrameType.DEMOTE_LIFTED), asked(control),
                            "the Sovereign starts it in its partition host from its next start");
                    assertEquals(List.of("STOP"), ProactiveActionsTest.sent(m), "a planned restart");
                    assertTrue(said.stream().anyMatch(l -> l.startsWith("policy 5: earner (services): it earned Tier "
                            + "1")), said.toString());
                }
            } finally {
                m.closePidFd();
                m.segment.close();
            }
        }
    }

    @Test
    void aDemotionTheRuleMadeIsNeverLiftedAndOneThePolicyMadeStaysForGoodOnceTheRuleWouldMakeIt() {
        Demotion ruled = new Demotion();
        ruled.now();
        assertFalse(ruled.plan(false), "a cut-off component stays demoted");
        assertFalse(ruled.plan(true), "already demoted");

        Demotion planned = new Demotion();
        assertTrue(planned.plan(true));
        assertFalse(planned.demoted(), "only from its next start");
        planned.starting();
        assertTrue(planned.demoted() && planned.byPolicy());
        long second = 1_000_000_000L;
        planned.failed(0);
        planned.failed(second);
        assertFalse(planned.failed(2 * second), "demoted already: nothing more to tell the Sovereign");
        assertFalse(planned.byPolicy(), "three failures in a minute: the rule's demotion now, for good");
        assertFalse(planned.plan(false));
    }
}
