package dev.atomic.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * One direction of a bridge: an Agrona ring in shared memory plus the doorbell of its consumer.
 * Frames are written in place ({@code tryClaim}/{@code commit}): the header and the payload are copied once,
 * straight into shared memory.
 */
public final class Lane {
    private final String name;
    private final RingBuffer ring;
    private final AtomicBuffer area;
    private final Doorbell doorbell;

    Lane(String name, RingBuffer ring, AtomicBuffer area, Doorbell doorbell) {
        this.name = name;
        this.ring = ring;
        this.area = area;
        this.doorbell = doorbell;
    }

    public String name() {
        return name;
    }

    /** Writes a frame; false when the ring is full (the caller decides: retry, drop, or report back-pressure). */
    public boolean offer(int type, int source, int target, int method, int status, long correlation, long deadline,
                         DirectBuffer payload, int payloadOffset, int payloadLength) {
        int index = ring.tryClaim(type, Frame.HEADER_LENGTH + payloadLength);
        if (index < 0) {
            return false;
        }
        MutableDirectBuffer b = ring.buffer();
        Frame.header(b, index, source, target, method, status, correlation, deadline, payloadLength);
        if (payloadLength > 0) {
            b.putBytes(index + Frame.HEADER_LENGTH, payload, payloadOffset, payloadLength);
        }
        ring.commit(index);
        doorbell.ring();
        return true;
    }

    /** A frame with no payload. */
    public boolean offer(int type, int source, int target, int method, int status, long correlation, long deadline) {
        return offer(type, source, target, method, status, correlation, deadline, null, 0, 0);
    }

    /** Reads up to {@code limit} frames; returns how many. */
    public int poll(MessageHandler handler, int limit) {
        return ring.read(handler, limit);
    }

    public boolean isEmpty() {
        return ring.size() == 0;
    }

    public int maxFrameLength() {
        return ring.maxMsgLength();
    }

    public Doorbell doorbell() {
        return doorbell;
    }

    /** Consumer side: sleep until a frame arrives or the timeout passes. */
    public void await(long timeoutNanos) {
        doorbell.await(timeoutNanos, () -> !isEmpty());
    }

    /**
     * Empties the ring. Only the Engine does this, and only when neither end can be using it (the producing
     * component is dead and not yet restarted): that is how a producer that died mid-write never wedges a lane.
     */
    void reset() {
        area.setMemory(0, area.capacity(), (byte) 0);
    }
}
