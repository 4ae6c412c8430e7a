package dev.atomic.bridge;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One ring of a bridge: single producer, single consumer. The producer writes frames in place with Agrona
 * ({@code tryClaim}/{@code commit}: header and payload copied once, straight into shared memory); the consumer
 * reads with the hardened {@link LaneReader}. A producer with several threads must serialise its offers.
 */
public final class Lane {
    private final String name;
    private final Priority priority;
    private final OneToOneRingBuffer ring;
    private final LaneReader reader;
    private final AtomicBuffer area;
    private final LaneGroup group;

    Lane(String name, Priority priority, AtomicBuffer area, LaneGroup group) {
        this.name = name;
        this.priority = priority;
        this.ring = new OneToOneRingBuffer(area);
        this.reader = new LaneReader(area);
        this.area = area;
        this.group = group;
    }

    public String name() {
        return name;
    }

    public Priority priority() {
        return priority;
    }

    LaneGroup group() {
        return group;
    }

    /** The doorbell of this lane's consumer: what it sleeps on. */
    public Doorbell doorbell() {
        return group.doorbell();
    }

    /** Writes a frame; false when the ring is full (the caller decides: retry, drop, or report back-pressure). */
    public boolean offer(int type, int flags, int source, int target, int method, int status, long correlation,
                         long deadline, DirectBuffer payload, int payloadOffset, int payloadLength) {
        if (!offerWithoutWaking(type, flags, source, target, method, status, correlation, deadline, payload,
                payloadOffset, payloadLength)) {
            return false;
        }
        group.doorbell().ring();
        return true;
    }

    /**
     * Writes a frame without ringing the consumer's doorbell: the caller rings it ({@code doorbell().ring()}) once
     * it has done what must be done before the consumer may act on the frame.
     */
    public boolean offerWithoutWaking(int type, int flags, int source, int target, int method, int status,
                                      long correlation, long deadline, DirectBuffer payload, int payloadOffset,
                                      int payloadLength) {
        int index = ring.tryClaim(type, Frame.HEADER_LENGTH + payloadLength);
        if (index < 0) {
            return false;
        }
        MutableDirectBuffer b = ring.buffer();
        Frame.header(b, index, source, target, method, status, correlation, deadline, payloadLength,
                priority.ordinal(), flags);
        if (payloadLength > 0) {
            b.putBytes(index + Frame.HEADER_LENGTH, payload, payloadOffset, payloadLength);
        }
        ring.commit(index);
        return true;
    }

    public boolean offer(int type, int source, int target, int method, int status, long correlation, long deadline,
                         DirectBuffer payload, int payloadOffset, int payloadLength) {
        return offer(type, 0, source, target, method, status, correlation, deadline, payload, payloadOffset,
                payloadLength);
    }

    /** A frame with no payload. */
    public boolean offer(int type, int source, int target, int method, int status, long correlation, long deadline) {
        return offer(type, 0, source, target, method, status, correlation, deadline, null, 0, 0);
    }

    /**
     * Reads up to {@code limit} frames; returns how many.
     *
     * @throws LaneCorruptException when the ring holds something no honest producer writes
     */
    public int poll(MessageHandler handler, int limit) {
        return reader.read(handler, limit);
    }

    public boolean isEmpty() {
        return !reader.hasRecord();
    }

    /** Bytes ever committed by the producer (Agrona's tail position): with {@link #consumed()}, progress. */
    public long produced() {
        return area.getLongVolatile(area.capacity() - RingBufferDescriptor.TRAILER_LENGTH
                + RingBufferDescriptor.TAIL_POSITION_OFFSET);
    }

    /** Bytes ever consumed (the head position). */
    public long consumed() {
        return area.getLongVolatile(area.capacity() - RingBufferDescriptor.TRAILER_LENGTH
                + RingBufferDescriptor.HEAD_POSITION_OFFSET);
    }

    /**
     * Consumer side, inside a handler: the position just past the frame being handled, whose body is
     * {@code length} bytes (what the handler was given). Its record is released when the handler returns.
     */
    public long positionAfter(int length) {
        return consumed() + BitUtil.align(length + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT);
    }

    /**
     * A new consumer taking over: true when the ring holds whole committed records from the head up to
     * {@code position} (or {@code position} is the head), which its predecessor handled and did not release.
     */
    public boolean holdsFramesTo(long position) {
        int capacity = area.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
        long p = consumed();
        if (position < p || position - p > capacity) {
            return false;
        }
        while (p < position) {
            int length = area.getIntVolatile((int) p & (capacity - 1));
            if (length < RecordDescriptor.HEADER_LENGTH || ((int) p & (capacity - 1)) + length > capacity) {
                return false;
            }
            p += BitUtil.align(length, RecordDescriptor.ALIGNMENT);
        }
        return p == position;
    }

    /** Releases, unread, the records up to {@code position}: {@link #holdsFramesTo} said they are whole. */
    public void releaseTo(long position) {
        int capacity = area.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
        for (long p = consumed(); p < position; ) {
            int index = (int) p & (capacity - 1);
            int aligned = BitUtil.align(area.getIntVolatile(index), RecordDescriptor.ALIGNMENT);
            area.setMemory(index, aligned, (byte) 0);
            p += aligned;
            area.putLongRelease(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET, p);
        }
    }

    /**
     * A new producer taking over a ring whose previous producer died (a restarted Engine): a record that was claimed
     * but never committed would stop the consumer forever, so it becomes padding, which the consumer skips.
     * Returns how many such records were found. Only with the old producer dead.
     */
    public int repairAbandonedClaims() {
        int capacity = area.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
        long tail = produced();
        int repaired = 0;
        for (long position = consumed(); position < tail; ) {
            int index = (int) position & (capacity - 1);
            int length = area.getIntVolatile(index);
            if (length < 0) {
                area.putInt(index + 4, org.agrona.concurrent.ringbuffer.RingBuffer.PADDING_MSG_TYPE_ID);
                area.putIntRelease(index, -length);
                length = -length;
                repaired++;
            }
            if (length < RecordDescriptor.HEADER_LENGTH) {
                break; // nothing more that a consumer could be stuck on
            }
            position += BitUtil.align(length, RecordDescriptor.ALIGNMENT);
        }
        return repaired;
    }

    /** The largest payload one frame can carry in this lane. */
    public int maxPayload() {
        return ring.maxMsgLength() - Frame.HEADER_LENGTH;
    }

    /** Consumer side: sleep until a frame arrives on any lane of this direction, or the timeout passes. */
    public void await(long timeoutNanos) {
        group.await(timeoutNanos);
    }

    /** Empties the ring; only with its producer stopped (see {@link LaneSegment#resetForNextGeneration}). */
    void reset() {
        area.setMemory(0, area.capacity(), (byte) 0);
    }
}
