package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.Priority;
import dev.atomic.component.Activation;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.SystemSpec;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The on-demand state machine, on a clock of its own: held requests, starting, freezing, thawing and stopping. */
class OnDemandTest {
    private static final long MS = 1_000_000;
    private static final long FREEZE = 1000 * MS;
    private static final long STOP = 5000 * MS;

    private final List<String> did = new ArrayList<>();
    private final List<String> said = new ArrayList<>();
    private final boolean[] busy = new boolean[2];
    /** The correlations of the held requests accounted for in the (stand-in) state mirror now. */
    private final java.util.Set<Long> mirrored = new java.util.TreeSet<>();
    private final Member caller = new Member(0, spec("caller", Activation.BOOT, List.of(), List.of(ServiceRef.parse("lazy@1"))), null);
    private final Member lazy = new Member(1, spec("lazy", Activation.onDemand(Duration.ofNanos(FREEZE),
            Duration.ofNanos(STOP)), List.of(ServiceRef.parse("lazy@1")), List.of()), null);
    private final OnDemand onDemand = new OnDemand(new Member[]{caller, lazy}, new OnDemand.Actions() {
        @Override
        public void spawn(Member m) {
            did.add("spawn " + m.spec.id());
            m.state = Member.State.SPAWNING;
            m.idle = Member.Idle.AWAKE; // as Supervisor.spawn does
        }

        @Override
        public void freeze(Member m, boolean frozen) {
            did.add((frozen ? "freeze " : "thaw ") + m.spec.id());
        }

        @Override
        public void stop(Member m) {
            did.add("stop " + m.spec.id());
        }

        @Override
        public void deliver(Member from, Priority lane, DirectBuffer frame, long handledTo) {
            did.add("deliver " + Frame.correlation(frame, 0) + " from " + from.spec.id() + " at " + handledTo);
        }

        @Override
        public void fail(Member from, DirectBuffer frame, int index, String service, String why) {
            did.add("fail " + Frame.correlation(frame, index) + ": " + why);
        }

        @Override
        public boolean busy(Member m) {
            return busy[m.slot];
        }

        @Override
        public InFlight.Entry keep(Member from, Member provider, Priority lane, DirectBuffer frame) {
            assertTrue(mirrored.add(Frame.correlation(frame, 0)), "kept twice");
            return new InFlight.Entry(from.slot, Frame.correlation(frame, 0), provider.slot, 0, 1, 0, -1, -1, 0);
        }

        @Override
        public void kept(InFlight.Entry record) {
            assertTrue(mirrored.remove(record.correlation()), "freed twice, or never kept");
        }

        @Override
        public void say(String text) {
            said.add(text);
        }
    });

    private static ComponentSpec spec(String id, Activation activation, List<ServiceRef> provides,
                                      List<ServiceRef> calls) {
        return new ComponentSpec(id, Kernel.SERVICES, "service", "x.Y", provides, calls, 1, 1, SystemSpec.DEFAULT_RATE)
                .withActivation(activation);
    }

    /** A request from the caller to lazy, with its correlation id and deadline (0: none). */
    private boolean request(long correlation, long deadline, long now) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[Frame.HEADER_LENGTH + 3]);
        Frame.header(b, 0, caller.slot, 0, 1, 0, correlation, deadline, 3, Priority.NORMAL.ordinal(), 0);
        return onDemand.hold(caller, lazy, Priority.NORMAL, b, 0, 100 + correlation, "lazy", now);
    }

    /** lazy as the Supervisor leaves it once its process said it is ready. */
    private void ready(long now) {
        lazy.state = Member.State.READY;
        lazy.pid = 42;
        onDemand.settled(lazy, now);
    }

    /** A request from lazy to caller (here a provider started at boot), with its correlation id and deadline. */
    private boolean requestToCaller(long correlation, long deadline, long now) {
        UnsafeBuffer b = new UnsafeBuffer(new byte[Frame.HEADER_LENGTH + 3]);
        Frame.header(b, 0, lazy.slot, 0, 1, 0, correlation, deadline, 3, Priority.NORMAL.ordinal(), 0);
        return onDemand.hold(lazy, caller, Priority.NORMAL, b, 0, 100 + correlation, "steady", now);
    }

    /**
     * A provider started at boot, restarted and welcomed (its dependents told it is back): calls to it wait for its
     * init and start, and reach it as it becomes ready; one past its deadline fails; a provider given up on fails
     * the rest. Before it is welcomed, nothing is held (its callers were told it is down).
     */
    @Test
    void callsToARestartedProviderTheirCallersHeardIsBackWaitUntilItIsReady() {
        caller.state = Member.State.STARTING;
        assertFalse(requestToCaller(7, 0, 0), "not welcomed yet: routed, and failed there, as before");
        caller.upEarly = true;
        assertTrue(requestToCaller(7, 0, 0));
        assertTrue(requestToCaller(8, 5 * MS, MS));
        assertEquals(List.of(), did, "nothing started: it starts already");
        assertEquals(java.util.Set.of(7L, 8L), mirrored, "held, and in the mirror as such");
        onDemand.tick(6 * MS);
        assertEquals(List.of("fail 8: call to steady timed out (deadline passed) while caller was restarting"), did);
        did.clear();
        caller.state = Member.State.READY;
        onDemand.settled(caller, 7 * MS);
        assertEquals(List.of("deliver 7 from lazy at 107"), did, "delivered as it became ready");
        assertEquals(java.util.Set.of(), mirrored);
        did.clear();
        caller.state = Member.State.STARTING;
        assertTrue(requestToCaller(9, 0, 8 * MS));
        caller.state = Member.State.GAVE_UP;
        onDemand.settled(caller, 9 * MS);
        assertEquals(List.of("fail 9: call to steady failed: caller was given up on as it restarted"), did);
        assertEquals(java.util.Set.of(), mirrored);
    }

    @Test
    void theFirstRequestsAreHeldWhileTheServiceStartsThenDeliveredInOrder() {
        assertTrue(OnDemand.resting(lazy), "not started at boot");
        assertTrue(request(1, 0, 0));
        assertTrue(request(2, 0, 3 * MS));
        assertEquals(List.of("spawn lazy"), did, "started once, not per request");
        assertEquals(java.util.Set.of(1L, 2L), mirrored, "held, and in the mirror as such");
        assertFalse(OnDemand.resting(lazy));
        ready(250 * MS);
        assertEquals(java.util.Set.of(), mirrored, "delivered: no longer held");
        assertEquals(List.of("spawn lazy", "deliver 1 from caller at 101", "deliver 2 from caller at 102"), did);
        assertEquals("lazy (services) started on demand in 250.0 ms: pid 42, 2 held request(s) delivered", said.getLast());
        did.clear();
        assertFalse(request(3, 0, 260 * MS), "running: routed at once");
        assertEquals(List.of(), did);
    }

    @Test
    void aBootServiceIsNeverHeldNorFrozen() {
        caller.state = Member.State.STOPPED;
        assertFalse(onDemand.hold(lazy, caller, Priority.NORMAL, new UnsafeBuffer(new byte[64]), 0, 0, "x", 0));
        caller.state = Member.State.READY;
        onDemand.tick(10 * STOP);
        assertEquals(List.of(), did);
        assertEquals(Member.Idle.AWAKE, caller.idle);
    }

    @Test
    void theQueueIsBoundedAndOverflowFailsAtOnce() {
        for (int i = 0; i < OnDemand.HOLD_LIMIT; i++) {
            assertTrue(request(i, 0, 0));
        }
        assertEquals(OnDemand.HOLD_LIMIT, onDemand.held(lazy));
        assertTrue(request(999, 0, 0));
        assertEquals("fail 999: call to lazy refused: lazy is starting on demand and 256 requests already wait for it; "
                + "try again later", did.getLast());
        assertEquals(OnDemand.HOLD_LIMIT, onDemand.held(lazy));
        assertEquals(OnDemand.HOLD_LIMIT, mirrored.size(), "the refused one is not held");
    }

    @Test
    void aHeldRequestPastItsDeadlineFails() {
        request(1, 50 * MS, 0);
        request(2, 0, 0);
        onDemand.tick(40 * MS);
        assertEquals(2, onDemand.held(lazy));
        onDemand.tick(60 * MS);
        assertEquals("fail 1: call to lazy timed out (deadline passed) while lazy was starting on demand", did.getLast());
        assertEquals(java.util.Set.of(2L), mirrored);
        ready(70 * MS);
        assertEquals("deliver 2 from caller at 102", did.getLast());
        assertEquals(java.util.Set.of(), mirrored);
    }

    @Test
    void idleItIsFrozenAndARequestThawsItFirst() {
        request(1, 0, 0);
        ready(100 * MS);
        did.clear();
        onDemand.tick(100 * MS + FREEZE - 1);
        assertEquals(List.of(), did, "not idle long enough");
        busy[1] = true; // a call in flight keeps it awake, and its idleness starts over
        onDemand.tick(100 * MS + FREEZE);
        assertEquals(List.of(), did);
        busy[1] = false;
        long quiet = 100 * MS + FREEZE;
        onDemand.tick(quiet + FREEZE - 1);
        assertEquals(List.of(), did);
        onDemand.tick(quiet + FREEZE);
        assertEquals(List.of("freeze lazy"), did);
        assertEquals(Member.Idle.FREEZING, lazy.idle);
        assertTrue(lazy.frozen(), "being frozen is not hanging");
        onDemand.tick(quiet + FREEZE + MS);
        assertEquals(List.of("freeze lazy"), did, "asked once");
        onDemand.frozen(lazy, true, null, quiet + FREEZE + 2 * MS);
        assertEquals(Member.Idle.FROZEN, lazy.idle);
        assertTrue(lazy.frozen());
        assertEquals("lazy (services) frozen: no request for 1 s", said.getLast());

        long call = quiet + 3 * FREEZE;
        assertTrue(request(2, 0, call), "held until thawed");
        assertEquals(List.of("freeze lazy", "thaw lazy"), did);
        assertEquals(Member.Idle.THAWING, lazy.idle);
        onDemand.frozen(lazy, false, null, call + 2 * MS);
        assertEquals(Member.Idle.AWAKE, lazy.idle);
        assertFalse(lazy.frozen());
        assertEquals(List.of("freeze lazy", "thaw lazy", "deliver 2 from caller at 102"), did);
        assertEquals("lazy (services) thawed in 2.0 ms, 1 held request(s) delivered", said.getLast());
    }

    @Test
    void aRequestWhileItIsBeingFrozenThawsItOnceFrozen() {
        request(1, 0, 0);
        ready(0);
        onDemand.tick(FREEZE);
        assertTrue(request(2, 0, FREEZE + MS));
        assertEquals(Member.Idle.FREEZING, lazy.idle);
        onDemand.frozen(lazy, true, null, FREEZE + 2 * MS);
        assertEquals(Member.Idle.THAWING, lazy.idle);
        onDemand.frozen(lazy, false, null, FREEZE + 3 * MS);
        assertEquals(List.of("spawn lazy", "deliver 1 from caller at 101", "freeze lazy", "thaw lazy",
                "deliver 2 from caller at 102"), did);
    }

    @Test
    void afterItsStopTimeoutItIsThawedStoppedWithoutAFaultAndStartedAgainByTheNextRequest() {
        request(1, 0, 0);
        ready(0);
        onDemand.tick(FREEZE);
        onDemand.frozen(lazy, true, null, FREEZE);
        did.clear();
        onDemand.tick(STOP - 1);
        assertEquals(List.of(), did);
        onDemand.tick(STOP);
        assertEquals(List.of("thaw lazy"), did, "thawed first: a frozen process cannot stop itself");
        assertEquals(Member.Idle.STOPPING, lazy.idle);
        assertFalse(lazy.frozen(), "stopping: no longer frozen on purpose");
        onDemand.frozen(lazy, false, null, STOP + MS);
        assertEquals(List.of("thaw lazy", "stop lazy"), did);
        assertTrue(request(2, 0, STOP + 2 * MS), "held until it is gone and started again");
        lazy.state = Member.State.STOPPED; // as the Supervisor leaves it after the exit
        onDemand.stopped(lazy, STOP + 3 * MS);
        assertEquals("lazy (services) stopped: no request for 5 s", said.get(said.size() - 2));
        assertEquals(List.of("thaw lazy", "stop lazy", "spawn lazy"), did);
        ready(STOP + 300 * MS);
        assertEquals("deliver 2 from caller at 102", did.getLast());
    }

    @Test
    void stoppedWhileIdleItRestsUntilTheNextRequest() {
        request(1, 0, 0);
        ready(0);
        onDemand.tick(FREEZE);
        onDemand.frozen(lazy, true, null, FREEZE);
        onDemand.tick(STOP);
        onDemand.frozen(lazy, false, null, STOP);
        lazy.state = Member.State.STOPPED;
        onDemand.stopped(lazy, STOP + MS);
        assertTrue(OnDemand.resting(lazy));
        did.clear();
        onDemand.tick(10 * STOP);
        assertEquals(List.of(), did, "at rest nothing happens");
        request(2, 0, 10 * STOP);
        assertEquals(List.of("spawn lazy"), did);
    }

    @Test
    void whereItCannotBeFrozenItRunsUntilItsStopTimeoutAndSaysSoOnce() {
        request(1, 0, 0);
        ready(0);
        did.clear();
        onDemand.tick(FREEZE);
        onDemand.frozen(lazy, true, "cgroup v1 without a freezer hierarchy", FREEZE + MS);
        assertEquals(Member.Idle.AWAKE, lazy.idle);
        assertEquals("cannot freeze lazy (services) when idle (cgroup v1 without a freezer hierarchy): it stays running "
                + "until its stop timeout", said.getLast());
        onDemand.tick(2 * FREEZE);
        onDemand.tick(3 * FREEZE);
        assertEquals(List.of("freeze lazy"), did, "not asked again");
        onDemand.tick(STOP);
        assertEquals(List.of("freeze lazy", "stop lazy"), did, "stopped directly: it was never frozen");
    }

    @Test
    void oneThatCannotBeThawedIsEndedAndStartedAgainForWhatWaits() {
        request(1, 0, 0);
        ready(0);
        onDemand.tick(FREEZE);
        onDemand.frozen(lazy, true, null, FREEZE);
        request(2, 0, 2 * FREEZE);
        onDemand.frozen(lazy, false, "cannot write \"THAWED\": Device or resource busy", 2 * FREEZE + MS);
        assertEquals("could not thaw lazy (services) (cannot write \"THAWED\": Device or resource busy): killing it",
                said.getLast());
        assertEquals(Member.Idle.STOPPING, lazy.idle, "its exit is a stop, not a fault");
        lazy.state = Member.State.STOPPED;
        onDemand.stopped(lazy, 2 * FREEZE + 2 * MS);
        assertEquals("spawn lazy", did.getLast());
        ready(2 * FREEZE + 300 * MS);
        assertEquals("deliver 2 from caller at 102", did.getLast());
    }

    @Test
    void heldRequestsFailWhenTheServiceIsGivenUpOnAndAreForgottenWhenTheirCallerDies() {
        request(1, 0, 0);
        onDemand.forget(caller);
        assertEquals(0, onDemand.held(lazy));
        assertEquals(java.util.Set.of(), mirrored, "forgotten with its caller");
        request(2, 0, 0);
        lazy.state = Member.State.GAVE_UP;
        onDemand.settled(lazy, MS);
        assertEquals("fail 2: call to lazy failed: lazy could not be started on demand (given up on)", did.getLast());
        assertEquals(java.util.Set.of(), mirrored, "failed: no longer held");
        assertFalse(request(3, 0, 2 * MS), "given up on: the Router fails it as for any component");
    }

    @Test
    void aNewEngineThawsWhatRunsAndLeavesWhatRests() {
        lazy.state = Member.State.READY;
        lazy.idle = Member.Idle.AWAKE; // what a successor believes: its predecessor's freezing is not in the mirror
        onDemand.resume(0);
        assertEquals(List.of("thaw lazy"), did);
        assertEquals(Member.Idle.THAWING, lazy.idle);
        onDemand.frozen(lazy, false, null, MS);
        assertEquals(Member.Idle.AWAKE, lazy.idle);
        lazy.state = Member.State.STOPPED;
        did.clear();
        onDemand.resume(2 * MS);
        assertTrue(OnDemand.resting(lazy));
        assertEquals(List.of(), did);
    }
}
