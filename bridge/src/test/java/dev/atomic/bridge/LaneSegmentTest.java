package dev.atomic.bridge;

import dev.atomic.system.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaneSegmentTest {
    private static final int CAPACITY = 64 * 1024;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private LaneSegment fresh() {
        LaneSegment s = LaneSegment.format(SharedMemory.create("test-lanes", LaneSegment.sizeFor(CAPACITY)), 7, CAPACITY);
        open.add(s);
        return s;
    }

    /** A second, independent mapping of the same memfd: what the Engine or the component sees. */
    private LaneSegment peer(LaneSegment s) {
        LaneSegment p = LaneSegment.attach(SharedMemory.open(s.memory().procPath()));
        open.add(p);
        return p;
    }

    /** A successor releases, unread, the frame its predecessor handled but died before releasing. */
    @Test
    void aHandledFrameIsReleasedUnreadAndOnlyWholeFramesAre() {
        LaneSegment component = fresh();
        Lane lane = peer(component).inbound();
        byte[] payload = Frame.utf8("frame");
        for (long correlation = 1; correlation <= 3; correlation++) {
            component.inbound().offer(FrameType.REQUEST, 7, 3, 1, 0, correlation, 0, new UnsafeBuffer(payload), 0,
                    payload.length);
        }
        long[] after = new long[1];
        lane.poll((type, b, i, length) -> after[0] = lane.positionAfter(length), 1);
        assertEquals(lane.consumed(), after[0], "positionAfter is where the head goes once the frame is released");
        long head = lane.consumed();
        long step = 56; // a frame with a 5-byte payload: 8 + 40 + 5 bytes, aligned to 8
        assertTrue(lane.holdsFramesTo(head), "nothing handled, nothing to release");
        assertTrue(lane.holdsFramesTo(head + step));
        assertTrue(lane.holdsFramesTo(head + 2 * step));
        assertFalse(lane.holdsFramesTo(head + step + 8), "not on a frame's end");
        assertFalse(lane.holdsFramesTo(head + 3 * step), "past what was committed");
        assertFalse(lane.holdsFramesTo(head - step), "behind the head");
        lane.releaseTo(head + step);
        List<Long> read = new ArrayList<>();
        lane.poll((type, b, i, length) -> read.add(Frame.correlation(b, i)), 10);
        assertEquals(List.of(3L), read, "the handled frame was released unread");
    }

    @Test
    void framesCrossFromOneMappingToAnother() {
        LaneSegment component = fresh();
        LaneSegment engine = peer(component);
        byte[] payload = Frame.utf8("hello");
        assertTrue(component.inbound().offer(FrameType.REQUEST, 7, 3, 1, 0, 42, 99, new UnsafeBuffer(payload), 0,
                payload.length));
        List<String> seen = new ArrayList<>();
        int read = engine.inbound().poll((type, b, i, length) -> {
            assertNull(Frame.malformed(b, i, length));
            seen.add(FrameType.name(type) + " " + Frame.source(b, i) + "→" + Frame.target(b, i) + " m"
                    + Frame.method(b, i) + " c" + Frame.correlation(b, i) + " d" + Frame.deadline(b, i) + " "
                    + Frame.payloadText(b, i));
        }, 10);
        assertEquals(1, read);
        assertEquals(List.of("REQUEST 7→3 m1 c42 d99 hello"), seen);
        assertEquals(7, engine.slot());
    }

    @Test
    void theSeccompListenerIsPublishedTakenAndForgottenWithTheIncarnation() {
        LaneSegment component = fresh();
        LaneSegment engine = peer(component);
        assertEquals(0, engine.seccompListener());
        component.publishSeccompListener(5);
        assertEquals(5, engine.seccompListener());
        engine.seccompListenerTaken();
        assertEquals(LaneSegment.LISTENER_TAKEN, component.seccompListener());
        engine.resetForNextGeneration();
        assertEquals(0, component.seccompListener());
        assertThrows(IllegalArgumentException.class, () -> component.publishSeccompListener(0));
    }

    @Test
    void attachRefusesWhatIsNotALaneSegment() {
        try (SharedMemory junk = SharedMemory.create("junk", LaneSegment.sizeFor(CAPACITY))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> LaneSegment.attach(junk));
            assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        }
    }

    @Test
    void attachRefusesACapacityThatDoesNotFit() {
        LaneSegment s = fresh();
        new UnsafeBuffer(s.memory().segment().address(), 64).putInt(36, CAPACITY * 4); // the request rings
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LaneSegment.attach(SharedMemory.open(s.memory().procPath())));
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void aFullLaneRefusesInsteadOfOverwriting() {
        LaneSegment s = fresh();
        byte[] payload = new byte[1000];
        int accepted = 0;
        while (s.outbound().offer(FrameType.REQUEST, 0, 0, 0, 0, accepted, 0, new UnsafeBuffer(payload), 0, 1000)) {
            accepted++;
        }
        assertTrue(accepted > 10 && accepted <= CAPACITY / 1000 + 1, "accepted " + accepted);
        AtomicLong expected = new AtomicLong();
        s.outbound().poll((t, b, i, l) -> assertEquals(expected.getAndIncrement(), Frame.correlation(b, i)), 1000);
        assertEquals(accepted, expected.get());
    }

    @Test
    void aProducerThatDiedMidWriteDoesNotWedgeTheLaneAfterReset() {
        LaneSegment s = fresh();
        // A claim that is never committed: what a producer killed between claim and commit leaves behind.
        LaneSegment victim = peer(s);
        assertTrue(victim.inbound().offer(FrameType.REQUEST, 0, 0, 0, 0, 1, 0));
        s.inbound().poll((t, b, i, l) -> { }, 10);
        int generation = s.generation();
        var raw = new org.agrona.concurrent.ringbuffer.OneToOneRingBuffer(inboundRing(s));
        assertTrue(raw.tryClaim(FrameType.REQUEST, 64) >= 0);
        assertTrue(s.inbound().offer(FrameType.REQUEST, 0, 0, 0, 0, 2, 0));
        assertEquals(0, s.inbound().poll((t, b, i, l) -> { }, 10), "the uncommitted claim blocks the consumer");

        assertEquals(generation + 1, s.resetForNextGeneration());
        assertTrue(s.inbound().offer(FrameType.REQUEST, 0, 0, 0, 0, 3, 0));
        List<Long> seen = new ArrayList<>();
        s.inbound().poll((t, b, i, l) -> seen.add(Frame.correlation(b, i)), 10);
        assertEquals(List.of(3L), seen);
        assertEquals(0, s.componentPid());
    }

    @Test
    void aClaimAbandonedByADeadProducerIsTurnedIntoPaddingByTheNextOne() {
        LaneSegment s = fresh();
        Lane out = s.outbound();
        assertTrue(out.offer(FrameType.REQUEST, 0, 0, 0, 0, 1, 0));
        // The producer claims a second record and dies before committing it.
        // The delivery lane of normal priority is the fifth ring of the segment (see the layout).
        UnsafeBuffer ring = new UnsafeBuffer(s.memory().segment().address() + 4096 + 4L * org.agrona.BitUtil.align(
                CAPACITY + org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH, 4096),
                CAPACITY + org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH);
        var dead = new org.agrona.concurrent.ringbuffer.OneToOneRingBuffer(ring);
        assertTrue(dead.tryClaim(FrameType.REQUEST, 64) >= 0);
        List<Long> seen = new ArrayList<>();
        out.poll((t, b, i, l) -> seen.add(Frame.correlation(b, i)), 10);
        assertEquals(List.of(1L), seen);
        assertTrue(out.offer(FrameType.REQUEST, 0, 0, 0, 0, 3, 0));
        out.poll((t, b, i, l) -> seen.add(Frame.correlation(b, i)), 10);
        assertEquals(List.of(1L), seen, "the consumer is stuck behind the abandoned claim");

        assertEquals(1, out.repairAbandonedClaims());
        out.poll((t, b, i, l) -> seen.add(Frame.correlation(b, i)), 10);
        assertEquals(List.of(1L, 3L), seen, "the frame after the abandoned claim now gets through");
    }

    @Test
    void aSleepingConsumerIsWokenByTheDoorbell() throws Exception {
        LaneSegment s = fresh();
        LaneSegment producer = peer(s);
        Thread consumer = Thread.ofPlatform().start(() -> s.outbound().await(TimeUnit.SECONDS.toNanos(30)));
        // Let it fall asleep; then one frame must wake it long before the 30 s timeout.
        Thread.sleep(200);
        assertTrue(consumer.isAlive(), "the consumer should be asleep on the futex");
        producer.outbound().offer(FrameType.STOP, 0, 0, 0, 0, 0, 0);
        consumer.join(TimeUnit.SECONDS.toMillis(5));
        assertFalse(consumer.isAlive(), "the doorbell did not wake the consumer");
    }

    /** The request lane of normal priority: after the critical ring, as the layout says. */
    private static UnsafeBuffer inboundRing(LaneSegment s) {
        int trailer = org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH;
        long critical = org.agrona.BitUtil.align(CAPACITY + trailer, 4096);
        return new UnsafeBuffer(s.memory().segment().address() + 4096 + critical, CAPACITY + trailer);
    }

    @Test
    void aRecordLengthPastTheRingsEndIsReportedNotFollowed() {
        LaneSegment s = fresh();
        assertTrue(s.inbound().offer(FrameType.REQUEST, 0, 0, 0, 0, 1, 0));
        assertTrue(s.inbound().offer(FrameType.REQUEST, 0, 0, 0, 0, 2, 0));
        UnsafeBuffer ring = inboundRing(s);
        int second = org.agrona.BitUtil.align(8 + Frame.HEADER_LENGTH, 8);
        ring.putInt(second, CAPACITY * 2); // a hostile producer rewrites the second record's length
        List<Long> seen = new ArrayList<>();
        LaneCorruptException e = assertThrows(LaneCorruptException.class,
                () -> s.inbound().poll((t, b, i, l) -> seen.add(Frame.correlation(b, i)), 10));
        assertTrue(e.getMessage().contains("runs past the ring's end"), e.getMessage());
        assertEquals(List.of(1L), seen, "the good record before it is still delivered");
        long trailerSum = 0;
        for (int i = CAPACITY; i < ring.capacity(); i += 8) {
            trailerSum += i == CAPACITY + org.agrona.concurrent.ringbuffer.RingBufferDescriptor.HEAD_POSITION_OFFSET
                    || i == CAPACITY + org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TAIL_POSITION_OFFSET
                    ? 0 : ring.getLong(i);
        }
        assertEquals(0, trailerSum, "nothing was written into the ring's trailer");
    }

    @Test
    void paddingIsSkippedWhereverItStandsAndARecordTooLongForTheRingIsNot() {
        LaneSegment s = fresh();
        UnsafeBuffer ring = inboundRing(s);
        ring.putInt(4, -1);                 // type: padding, mid-ring (an aborted claim)
        ring.putIntVolatile(0, 64);
        assertEquals(0, s.inbound().poll((t, b, i, l) -> { }, 10));
        ring.putInt(64 + 4, -1);
        ring.putIntVolatile(64, CAPACITY);  // padding claiming more than is left of the ring
        assertThrows(LaneCorruptException.class, () -> s.inbound().poll((t, b, i, l) -> { }, 10));
    }

    @Test
    void eachDirectionHasALanePerPriorityAndTheyDoNotMix() {
        LaneSegment s = fresh();
        for (Priority p : Priority.values()) {
            assertTrue(s.requests().lane(p).offer(FrameType.EVENT, 0, 0, 0, 0, p.ordinal(), 0));
        }
        List<String> order = new ArrayList<>();
        s.requests().poll((t, b, i, l) -> order.add(Priority.of(Frame.lane(b, i)).laneName()), 10);
        assertEquals(List.of("critical", "request", "transfer"), order);
        assertTrue(s.deliveries().isEmpty());
    }

    @Test
    void malformedFramesAreNamed() {
        UnsafeBuffer b = new UnsafeBuffer(new byte[128]);
        assertTrue(Frame.malformed(b, 0, 10).contains("shorter than"));
        Frame.header(b, 0, 0, 0, 0, 0, 0, 0, 500, 1, 0);
        assertTrue(Frame.malformed(b, 0, Frame.HEADER_LENGTH + 8).contains("declares 500"));
        Frame.header(b, 0, 0, 0, 0, 0, 0, 0, 8, 1, 0x80);
        assertTrue(Frame.malformed(b, 0, Frame.HEADER_LENGTH + 8).contains("unknown flags"));
        Frame.header(b, 0, 0, 0, 0, 0, 0, 0, 8, 1, Frame.FLAG_IDEMPOTENT);
        assertNull(Frame.malformed(b, 0, Frame.HEADER_LENGTH + 8));
        b.putByte(Frame.VERSION, (byte) 9);
        assertTrue(Frame.malformed(b, 0, Frame.HEADER_LENGTH + 8).contains("frame version 9"));
    }
}
