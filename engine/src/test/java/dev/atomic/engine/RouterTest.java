package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
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
        app = member(0, new ComponentSpec("app", Kernel.DAK, "app", "x", List.of(), List.of("echo"), 1, 1));
        echo = member(1, new ComponentSpec("echo", Kernel.SERVICES, "service", "x", List.of("echo"), List.of(), 1, 1));
        rogue = member(2, new ComponentSpec("rogue", Kernel.DAK, "app", "x", List.of(), List.of(), 1, 1));
        for (Member m : List.of(app, echo, rogue)) {
            m.state = Member.State.READY;
        }
        router = new Router(new Router.Listener() {
            @Override
            public void audit(Member member, String what) {
                audits.add(member.spec.id() + ": " + what);
            }

            @Override
            public void answered() {
            }
        }, new Member[]{app, echo, rogue}, List.of("echo"), new int[]{1});
    }

    @AfterEach
    void tearDown() {
        for (Member m : List.of(app, echo, rogue)) {
            m.segment.close();
        }
    }

    private static Member member(int slot, ComponentSpec spec) {
        return new Member(slot, spec, LaneSegment.format(
                SharedMemory.create("router-test", LaneSegment.sizeFor(CAPACITY)), slot, CAPACITY));
    }

    /** Puts a frame on the member's inbound lane and hands it to the Router the way the Engine does. */
    private void send(Member from, int type, int target, long correlation, long deadline, String payload) {
        byte[] bytes = Frame.utf8(payload);
        assertTrue(from.segment.inbound().offer(type, 99 /* a lie the Router must ignore */, target, 1, 0,
                correlation, deadline, new UnsafeBuffer(bytes), 0, bytes.length));
        from.segment.inbound().poll((t, b, i, l) -> {
            if (t == FrameType.REQUEST) {
                router.onRequest(from, b, i);
            } else {
                router.onAnswer(from, t, b, i);
            }
        }, 1);
    }

    private static List<Seen> delivered(Member to) {
        List<Seen> seen = new ArrayList<>();
        to.segment.outbound().poll((t, b, i, l) -> seen.add(new Seen(FrameType.name(t), Frame.source(b, i),
                Frame.target(b, i), Frame.correlation(b, i), Frame.payloadText(b, i))), 100);
        return seen;
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
    void anUngrantedCallIsRefusedToTheSenderAndAudited() {
        send(rogue, FrameType.REQUEST, 0, 1, 0, "let me in");
        assertEquals(List.of(), delivered(echo));
        List<Seen> back = delivered(rogue);
        assertEquals(1, back.size());
        assertEquals("ERROR", back.getFirst().type());
        assertTrue(back.getFirst().text().contains("not granted"), back.getFirst().text());
        assertTrue(audits.getFirst().startsWith("rogue: call to 'echo' refused"), audits.toString());
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
        long deadline = System.nanoTime() + 1_000_000;
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
}
