package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.PoolSpec;
import dev.atomic.bridge.PoolRef;
import dev.atomic.bridge.MirrorRegion;
import dev.atomic.bridge.Priority;
import dev.atomic.system.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Router against real lane segments, without processes: every refusal must reach the sender as a frame. */
class RouterTest {
    private static final int CAPACITY = 16 * 1024;
    private final List<String> audits = new ArrayList<>();
    private Member app;
    private Member echo;
    private Member rogue;
    private Router router;

    private record Seen(String type, int source, int target, long correlation, String text) {
    }

    @BeforeEach
    void setUp() {
        app = member(0, spec("app", Kernel.DAK, List.of(), List.of("echo@1#1")));
        echo = member(1, spec("echo", Kernel.SERVICES, List.of("echo@2"), List.of()));
        rogue = member(2, spec("rogue", Kernel.DAK, List.of(), List.of()));
        for (Member m : List.of(app, echo, rogue)) {
            m.state = Member.State.READY;
        }
        router = routerFor(new Member[]{app, echo, rogue}, List.of("echo"), new int[]{1},
                new PoolTable(List.of(new PoolSpec("app", "echo", 4, 1024)), new Member[]{app, echo, rogue},
                        List.of("echo"), new int[]{1}, List.of("/pool-0")));
    }

    private final List<ControlRegion> controls = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Member m : List.of(app, echo, rogue)) {
            m.segment.close();
        }
        controls.forEach(ControlRegion::close);
    }

    /** A Router over these members whose audit records land in {@link #audits}. */
    private Router routerFor(Member[] members, List<String> services, int[] providers, PoolTable pools) {
        return new Router(new Router.Listener() {
            @Override
            public void audit(Member member, String kind, String what) {
                audits.add(member.spec.id() + " " + kind + ": " + what);
            }

            @Override
            public void answered() {
            }
        }, members, services, providers, pools, mirrorFor(members));
    }

    /** The kinds of the in-flight area's valid records in the router's mirror. */
    private List<Integer> mirrored() {
        MirrorRegion mirror = controls.getFirst().mirror();
        List<Integer> kinds = new ArrayList<>();
        for (int i = 0; i < mirror.count(MirrorRegion.IN_FLIGHT); i++) {
            MirrorRegion.Record r = mirror.read(MirrorRegion.IN_FLIGHT, i);
            if (r.status() == MirrorRegion.Status.VALID) {
                kinds.add(r.kind());
            }
        }
        return kinds;
    }

    /** A state mirror of its own for these members, as an Engine keeps one. */
    private StateMirror mirrorFor(Member[] members) {
        ControlRegion control = ControlRegion.format(SharedMemory.create("router-test-control",
                ControlRegion.sizeFor(members.length, 0, 0, 4096)), members.length, 0, 0, 4096, 1);
        controls.add(control);
        StateMirror mirror = new StateMirror(control.mirror(), members);
        mirror.start(1, "router test", control.orders());
        return mirror;
    }

    private static ComponentSpec spec(String id, Kernel kernel, List<String> provides, List<String> calls) {
        return new ComponentSpec(id, kernel, "app", "x", provides.stream().map(ServiceRef::parse).toList(),
                calls.stream().map(ServiceRef::parse).toList(), 1, 1, 1000);
    }

    private static Member member(int slot, ComponentSpec spec) {
        return new Member(slot, spec, LaneSegment.format(
                SharedMemory.create("router-test", LaneSegment.sizeFor(CAPACITY)), slot, CAPACITY));
    }

    /** Puts a frame on the member's inbound lane and hands it to the Router the way the Engine does. */
    private void send(Member from, int type, int target, long correlation, long deadline, String payload) {
        send(from, type, target, 1, correlation, deadline, payload);
    }

    private void send(Member from, int type, int target, int method, long correlation, long deadline, String payload) {
        byte[] bytes = Frame.utf8(payload);
        assertTrue(from.segment.inbound().offer(type, 99 /* a lie the Router must ignore */, target, method, 0,
                correlation, deadline, new UnsafeBuffer(bytes), 0, bytes.length));
        from.segment.inbound().poll((t, b, i, l) -> {
            if (t == FrameType.REQUEST) {
                router.onRequest(from, Priority.NORMAL, b, i, from.segment.inbound().positionAfter(l));
            } else {
                router.onAnswer(from, Priority.NORMAL, t, b, i);
            }
        }, 1);
    }

    private static List<Seen> delivered(Member to) {
        List<Seen> seen = new ArrayList<>();
        to.segment.outbound().poll((t, b, i, l) -> seen.add(new Seen(FrameType.name(t), Frame.source(b, i),
                Frame.target(b, i), Frame.correlation(b, i), Frame.payloadText(b, i))), 100);
        return seen;
    }

    /** The times an event is delivered with, [correlation, deadline], sent from app on {@code lane}. */
    private long[] eventTimes(Priority lane, long sentAt, long now) {
        byte[] bytes = Frame.utf8("key");
        assertTrue(app.segment.requests().lane(lane).offer(FrameType.EVENT, app.slot, 0, 1, 1, sentAt, 0,
                new UnsafeBuffer(bytes), 0, bytes.length));
        app.segment.requests().lane(lane).poll((t, b, i, l) -> router.onEvent(app, lane, 10, b, i, now), 1);
        long[] times = new long[2];
        assertEquals(1, echo.segment.deliveries().lane(lane).poll((t, b, i, l) -> {
            times[0] = Frame.correlation(b, i);
            times[1] = Frame.deadline(b, i);
        }, 1));
        return times;
    }

    @Test
    void aCriticalEventKeepsWhenItWasSentAndSaysWhenTheEnginePassedItOnAnOrdinaryOneNeither() {
        long before = System.nanoTime();
        long[] critical = eventTimes(Priority.CRITICAL, 12_345, before);
        long after = System.nanoTime();
        assertEquals(12_345, critical[0], "the source's send time, as it said it");
        assertTrue(critical[1] >= before && critical[1] <= after, "passed on while the Engine handled it");
        assertEquals(List.of(0L, 0L), java.util.Arrays.stream(eventTimes(Priority.NORMAL, 777, after)).boxed()
                .toList(), "a calm source's ordinary event is delivered at once, without times");
    }

    @Test
    void aGrantedRequestReachesTheProviderWithTheTrueSourceAndTheReplyComesBack() {
        send(app, FrameType.REQUEST, 0, 5, 0, "hi");
        assertEquals(List.of(new Seen("REQUEST", 0, 0, 5, "hi")), delivered(echo));
        assertEquals(1, router.inFlight());
        send(echo, FrameType.REPLY, 0, 5, 0, "HI");
        assertEquals(List.of(new Seen("REPLY", 1, 0, 5, "HI")), delivered(app));
        assertEquals(0, router.inFlight());
    }

    @Test
    void aGrantCoversOnlyItsMethodsAndTheProviderLearnsTheNegotiatedVersion() {
        send(app, FrameType.REQUEST, 0, 2, 4, 0, "method 2 was never granted");
        assertEquals(List.of(), delivered(echo));
        assertTrue(delivered(app).getFirst().text().contains("not granted method 2 of 'echo'"));
        send(app, FrameType.REQUEST, 0, 1, 5, 0, "method 1 is");
        assertEquals(1, versionSeenBy(echo), "echo provides v2, app knows only v1: they speak v1");
    }

    /** The interface version the provider was told for the one request on its lane. */
    private static int versionSeenBy(Member provider) {
        int[] version = new int[1];
        provider.segment.outbound().poll((t, b, i, l) -> version[0] = Frame.status(b, i), 1);
        return version[0];
    }

    @Test
    void theBindingIsAtTheHighestVersionBothSupport() {
        // echo provides v2; each caller speaks a range of versions.
        for (String grant : List.of("echo@1..3", "echo@2..5", "echo@1..2", "echo@2")) {
            assertEquals(2, negotiated(grant), grant);
        }
        assertEquals(1, negotiated("echo@1"));
    }

    /** Binds one caller with this grant to echo v2, sends one request and returns the version echo was told. */
    private int negotiated(String grant) {
        Member caller = member(3, spec("caller", Kernel.DAK, List.of(), List.of(grant)));
        caller.state = Member.State.READY;
        Member[] members = {app, echo, rogue, caller};
        router = routerFor(members, List.of("echo"), new int[]{1},
                new PoolTable(List.of(), members, List.of("echo"), new int[]{1}, List.of()));
        try {
            send(caller, FrameType.REQUEST, 0, 1, 0, "which version?");
            return versionSeenBy(echo);
        } finally {
            caller.segment.close();
        }
    }

    @Test
    void aPairWithNoCommonVersionIsRefusedNamingBothVersions() {
        Member caller = member(3, spec("caller", Kernel.DAK, List.of(), List.of("echo@3..4")));
        caller.state = Member.State.READY;
        Member[] members = {app, echo, rogue, caller};
        Router r = routerFor(members, List.of("echo"), new int[]{1},
                new PoolTable(List.of(), members, List.of("echo"), new int[]{1}, List.of()));
        String why = "caller speaks echo v3..v4, but echo provides only up to v2: no version both support";
        assertEquals(List.of(why), r.refusals());
        router = r;
        send(caller, FrameType.REQUEST, 0, 1, 0, "anyone?");
        assertEquals(List.of(), delivered(echo));
        assertEquals(why, delivered(caller).getFirst().text());
        assertEquals("caller incompatible: " + why, audits.getLast());
        caller.segment.close();
    }

    @Test
    void aCallThatWouldCloseAWaitCycleFailsFastNamingTheCycle() {
        // Seed 000's circular dependency: a service orders a driver, which then asks the service above it.
        Member service = member(0, spec("service", Kernel.SERVICES, List.of("svc@1"), List.of("drv@1")));
        Member driver = member(1, spec("driver", Kernel.DAK, List.of("drv@1"), List.of("svc@1")));
        try (Layered l = new Layered(service, driver)) {
            sendTo(l.router, service, 0, 1, Frame.FLAG_ASYNC);  // service → driver: an order in flight
            assertEquals(1, delivered(driver).size());
            sendTo(l.router, driver, 1, 2, 0);                  // driver → service would close the cycle
            List<Seen> back = delivered(driver);
            assertEquals(1, back.size());
            assertEquals("ERROR", back.getFirst().type());
            assertEquals("call to svc would close a wait-for cycle: driver → service → driver (service is already "
                    + "waiting on driver)", back.getFirst().text());
            assertEquals(List.of(), delivered(service), "the cyclic call must not reach the service");
            assertTrue(audits.contains("driver cycle: call to svc refused: it would close the wait-for cycle "
                    + "driver → service → driver"), audits.toString());
        }
    }

    @Test
    void aHigherKernelMayOnlyOrderALowerOneAsynchronously() {
        Member service = member(0, spec("service", Kernel.SERVICES, List.of("svc@1"), List.of("drv@1")));
        Member driver = member(1, spec("driver", Kernel.DAK, List.of("drv@1"), List.of("svc@1")));
        try (Layered l = new Layered(service, driver)) {
            sendTo(l.router, service, 0, 1, 0);                 // a blocking call down: refused at once
            assertEquals(List.of(), delivered(driver));
            String why = "strict layering: service (services) may not wait synchronously on driver (dak), a lower "
                    + "kernel; orders flow downward asynchronously (ServiceClient.callAsync), with a deadline";
            assertEquals(List.of(new Seen("ERROR", -1, 0, 1, why)), delivered(service));
            assertEquals("service layering: " + why, audits.getLast());
            assertTrue(!l.router.bindable(service, 0), "no fast path for an order down: the Engine must see it");
            assertTrue(l.router.bindable(driver, 1), "an upward binding may have one");

            long before = System.nanoTime();
            sendTo(l.router, service, 0, 2, Frame.FLAG_ASYNC);  // the same as an order: forwarded
            assertBounded(driver, before);
            driver.segment.inbound().offer(FrameType.REPLY, driver.slot, service.slot, 1, 0, 2, 0);
            driver.segment.inbound().poll((t, b, i, len) -> l.router.onAnswer(driver, Priority.NORMAL, t, b, i), 1);
            assertEquals("REPLY", delivered(service).getFirst().type());
            before = System.nanoTime();
            sendTo(l.router, driver, 1, 3, 0);                  // upward, with no deadline of its own
            assertBounded(service, before);
            assertEquals(1, l.router.inFlight());
        }
    }

    /** The one frame delivered to {@code to} is a request whose deadline is the Engine's bound on a call between kernels. */
    private static void assertBounded(Member to, long sentAfter) {
        assertEquals(1, to.segment.outbound().poll((t, b, i, len) -> {
            assertEquals(FrameType.REQUEST, t);
            long deadline = Frame.deadline(b, i);
            assertTrue(deadline - sentAfter - Layering.CROSS_KERNEL_WAIT_NANOS >= 0
                    && deadline - System.nanoTime() - Layering.CROSS_KERNEL_WAIT_NANOS <= 0,
                    "a call between kernels carries the Engine's bound: " + deadline);
        }, 10));
    }

    /** Two members alone with a Router of their own; each provides one service: drv is 0, svc is 1. */
    private final class Layered implements AutoCloseable {
        final Router router;
        private final Member[] both;

        Layered(Member service, Member driver) {
            both = new Member[]{service, driver};
            for (Member m : both) {
                m.state = Member.State.READY;
            }
            router = routerFor(both, List.of("drv", "svc"), new int[]{1, 0},
                    new PoolTable(List.of(), both, List.of("drv", "svc"), new int[]{1, 0}, List.of()));
        }

        @Override
        public void close() {
            for (Member m : both) {
                m.segment.close();
            }
        }
    }

    private static void sendTo(Router r, Member from, int service, long correlation, int flags) {
        from.segment.inbound().offer(FrameType.REQUEST, flags, from.slot, service, 1, 0, correlation, 0,
                new UnsafeBuffer(new byte[0]), 0, 0);
        from.segment.inbound().poll((t, b, i, l) -> r.onRequest(from, Priority.NORMAL, b, i,
                from.segment.inbound().positionAfter(l)), 1);
    }

    /** A REQUEST that lends bytes {@code offset..offset+length} of pool {@code pool}. */
    private void sendPooled(Member from, long correlation, int pool, long offset, int length) {
        UnsafeBuffer ref = new UnsafeBuffer(new byte[PoolRef.LENGTH]);
        PoolRef.write(ref, 0, pool, offset, length);
        assertTrue(from.segment.inbound().offer(FrameType.REQUEST, Frame.FLAG_POOL, from.slot, 0, 1, 0, correlation, 0,
                ref, 0, PoolRef.LENGTH));
        from.segment.inbound().poll((t, b, i, l) -> router.onRequest(from, Priority.NORMAL, b, i,
                from.segment.inbound().positionAfter(l)), 1);
    }

    @Test
    void aPooledRequestLendsOneBufferThatOnlyTheAnswerGivesBack() {
        sendPooled(app, 1, 0, 1024, 700);               // buffer 1, owned by app: lent to echo
        assertEquals(1, delivered(echo).size());
        sendPooled(app, 2, 0, 1100, 10);                // buffer 1 again, while echo holds it
        assertTrue(delivered(app).getFirst().text().contains("lent out"));
        send(echo, FrameType.REPLY, 0, 1, 0, "done");   // the answer gives it back
        assertEquals("done", delivered(app).getFirst().text());
        sendPooled(app, 3, 0, 1100, 10);
        assertEquals(1, delivered(echo).size(), "the buffer is the caller's again");
    }

    @Test
    void poolReferencesOutsideWhatTheSenderWasGrantedAreRefusedAndAudited() {
        sendPooled(app, 1, 0, 4 * 1024 - 8, 100);       // past the pool's end
        assertTrue(delivered(app).getFirst().text().contains("lie outside pool 0"));
        sendPooled(app, 2, 0, 1000, 100);                // across the end of buffer 0
        assertTrue(delivered(app).getFirst().text().contains("cross the end of buffer 0"));
        sendPooled(app, 3, 7, 0, 10);                    // a pool that does not exist
        assertTrue(delivered(app).getFirst().text().contains("no pool 7"));
        assertEquals(List.of(), delivered(echo));
        assertEquals(3, audits.stream().filter(a -> a.contains("pool reference refused")).count(), audits.toString());
    }

    @Test
    void aComponentCannotLendFromAPoolItDoesNotShare() {
        Member thief = member(3, spec("thief", Kernel.DAK, List.of(), List.of("echo@1")));
        thief.state = Member.State.READY;
        Router r = routerFor(new Member[]{app, echo, rogue, thief}, List.of("echo"), new int[]{1},
                new PoolTable(List.of(new PoolSpec("app", "echo", 4, 1024)), new Member[]{app, echo, rogue, thief},
                        List.of("echo"), new int[]{1}, List.of("/pool-0")));
        UnsafeBuffer ref = new UnsafeBuffer(new byte[PoolRef.LENGTH]);
        PoolRef.write(ref, 0, 0, 0, 64);
        thief.segment.inbound().offer(FrameType.REQUEST, Frame.FLAG_POOL, thief.slot, 0, 1, 0, 9, 0, ref, 0,
                PoolRef.LENGTH);
        thief.segment.inbound().poll((t, b, i, l) -> r.onRequest(thief, Priority.NORMAL, b, i,
                thief.segment.inbound().positionAfter(l)), 1);
        assertEquals(List.of(), delivered(echo));
        assertTrue(delivered(thief).getFirst().text().contains("not shared between these two components"));
        thief.segment.close();
    }

    @Test
    void anUngrantedCallIsRefusedToTheSenderAndAudited() {
        send(rogue, FrameType.REQUEST, 0, 1, 0, "let me in");
        assertEquals(List.of(), delivered(echo));
        List<Seen> back = delivered(rogue);
        assertEquals(1, back.size());
        assertEquals("ERROR", back.getFirst().type());
        assertTrue(back.getFirst().text().contains("not granted"), back.getFirst().text());
        assertTrue(audits.getFirst().startsWith("rogue not-granted: rogue is not granted 'echo'"), audits.toString());
    }

    @Test
    void aReplyFromAComponentThatWasNotAskedIsDropped() {
        send(app, FrameType.REQUEST, 0, 8, 0, "q");
        delivered(echo);
        send(rogue, FrameType.REPLY, 0, 8, 0, "forged");
        assertEquals(List.of(), delivered(app));
        assertTrue(audits.getFirst().contains("was not asked"), audits.toString());
        send(echo, FrameType.REPLY, 0, 8, 0, "real");
        assertEquals("real", delivered(app).getFirst().text());
    }

    @Test
    void anUnknownServiceAndAnOutOfRangeCorrelationAreRefused() {
        send(app, FrameType.REQUEST, 7, 1, 0, "");
        assertTrue(delivered(app).getFirst().text().contains("no service with id 7"));
        send(app, FrameType.REQUEST, 0, -1, 0, "");
        assertEquals(List.of(), delivered(echo));
        assertTrue(audits.getLast().contains("outside 0..2^48-1"), audits.toString());
    }

    @Test
    void aRequestPastItsDeadlineFailsWithATimeoutNeverSilence() {
        long deadline = System.nanoTime() + 60_000_000_000L; // never past before it is routed, however slow the host
        send(app, FrameType.REQUEST, 0, 3, deadline, "slow");
        delivered(echo);
        router.expire(deadline + 1);
        List<Seen> back = delivered(app);
        assertEquals("ERROR", back.getFirst().type());
        assertTrue(back.getFirst().text().contains("timed out"));
        assertEquals(0, router.inFlight());
    }

    @Test
    void whenTheProviderDiesItsCallsFailAtOnce() {
        send(app, FrameType.REQUEST, 0, 11, 0, "a");
        send(app, FrameType.REQUEST, 0, 12, 0, "b");
        assertEquals(2, router.forget(echo));
        List<Seen> back = delivered(app);
        assertEquals(List.of(11L, 12L), back.stream().map(Seen::correlation).sorted().toList());
        assertTrue(back.getFirst().text().contains("echo died"));
    }

    @Test
    void aRequestToAProviderThatIsDownFailsWithItsState() {
        echo.state = Member.State.SPAWNING;
        send(app, FrameType.REQUEST, 0, 1, 0, "");
        assertTrue(delivered(app).getFirst().text().contains("not available right now (spawning)"));
    }

    @Test
    void anIdempotentCallUnderWayAtItsProvidersDeathIsReplayedOnceToTheNextIncarnationAndAnyOtherFails() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        for (long correlation : new long[]{7, 8}) {
            byte[] bytes = Frame.utf8("call " + correlation);
            assertTrue(app.segment.inbound().offer(FrameType.REQUEST, correlation == 7 ? Frame.FLAG_IDEMPOTENT : 0,
                    app.slot, 0, 1, 0, correlation, deadline, new UnsafeBuffer(bytes), 0, bytes.length));
            app.segment.inbound().poll((t, b, i, l) -> router.onRequest(app, Priority.NORMAL, b, i,
                    app.segment.inbound().positionAfter(l)), 1);
        }
        assertEquals(2, delivered(echo).size());
        assertEquals(1, router.forget(echo), "only the call that is not idempotent fails");
        assertEquals(List.of(new Seen("ERROR", -1, app.slot, 8, "echo failed while handling the call: echo "
                + "died, and method 1 is not idempotent, so the call was not replayed (it may or may not have taken "
                + "effect)")), delivered(app));
        assertEquals(1, router.held());
        assertEquals(List.of(StateMirror.HELD_KIND), mirrored(), "the held call stays in the mirror, as held");
        echo.segment.resetForNextGeneration();
        assertEquals(1, router.replay(echo));
        assertEquals(0, router.replay(echo), "replayed once");
        assertEquals(List.of(StateMirror.IN_FLIGHT_KIND), mirrored(), "in flight again, with the new incarnation");
        assertEquals(List.of(new Seen("REQUEST", app.slot, 0, 7, "call 7")), delivered(echo));
        send(echo, FrameType.REPLY, app.slot, 7, 0, "done");
        assertEquals(List.of(new Seen("REPLY", echo.slot, app.slot, 7, "done")), delivered(app));
    }

    @Test
    void aHeldCallFailsWhenItsProviderIsGivenUpOn() {
        byte[] bytes = Frame.utf8("call");
        assertTrue(app.segment.inbound().offer(FrameType.REQUEST, Frame.FLAG_IDEMPOTENT, app.slot, 0, 1, 0, 9, 0,
                new UnsafeBuffer(bytes), 0, bytes.length));
        app.segment.inbound().poll((t, b, i, l) -> router.onRequest(app, Priority.NORMAL, b, i,
                app.segment.inbound().positionAfter(l)), 1);
        assertEquals(0, router.forget(echo));
        echo.state = Member.State.GAVE_UP;
        echo.gaveUpReason = "it failed 6 times in 30 s (at most 5 restarts)";
        router.gaveUp(echo);
        assertEquals(List.of(new Seen("ERROR", -1, app.slot, 9, "echo failed while handling the call and was "
                + "given up on (it failed 6 times in 30 s (at most 5 restarts)): the call was not replayed")),
                delivered(app));
        assertEquals(0, router.held());
        assertEquals(List.of(), mirrored(), "nothing left in the mirror");
    }

    @Test
    void aRequestHeldForAProviderStartingOnDemandIsInTheMirrorAsHeldUntilReleased() {
        UnsafeBuffer frame = new UnsafeBuffer(new byte[Frame.HEADER_LENGTH]);
        Frame.header(frame, 0, app.slot, 0, 1, 0, 11, 0, 0, Priority.NORMAL.ordinal(), 0);
        InFlight.Entry record = router.held(app, echo, Priority.NORMAL, frame);
        assertEquals(List.of(StateMirror.HELD_KIND), mirrored());
        assertEquals(11, record.correlation());
        assertEquals(0, router.inFlight(), "held, not in flight");
        router.unheld(record);
        assertEquals(List.of(), mirrored());
    }
}
