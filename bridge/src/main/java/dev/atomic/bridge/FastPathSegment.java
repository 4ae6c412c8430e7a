package dev.atomic.bridge;

import dev.atomic.system.SharedMemory;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A direct ring pair between the two ends of one binding, which the Engine opens after auditing the binding and
 * then only watches. Mapped by the caller, the provider and the Engine.
 * <pre>
 *      0 long magic     "ATOMFST1"
 *      8 int  version   1
 *     12 int  id        fast path id
 *     16 int  capacity  of each ring (a power of two)
 *     64      doorbell of the reply ring   (consumer: the caller)
 *    128      doorbell of the request ring (consumer: the provider)
 *   4096      request ring (caller → provider), one-to-one, capacity + 768
 *   then      reply ring   (provider → caller), page aligned
 * </pre>
 */
public final class FastPathSegment implements AutoCloseable {
    private static final long MAGIC = 0x315453464D4F5441L; // "ATOMFST1" little-endian
    private static final int VERSION = 1;
    private static final int PAGE = 4096;

    private final SharedMemory memory;
    private final int id;
    private final Lane requests;
    private final Lane replies;

    private FastPathSegment(SharedMemory memory, int id, int capacity) {
        this.memory = memory;
        this.id = id;
        AtomicBuffer buffer = new UnsafeBuffer(memory.segment().address(), Math.toIntExact(memory.size()));
        int ring = capacity + RingBufferDescriptor.TRAILER_LENGTH;
        LaneGroup replyGroup = new LaneGroup(new Doorbell(buffer, memory.segment(), 64));
        LaneGroup requestGroup = new LaneGroup(new Doorbell(buffer, memory.segment(), 128));
        this.requests = new Lane("fast/request", Priority.NORMAL, new UnsafeBuffer(buffer, PAGE, ring), requestGroup);
        this.replies = new Lane("fast/reply", Priority.NORMAL,
                new UnsafeBuffer(buffer, PAGE + BitUtil.align(ring, PAGE), ring), replyGroup);
        requestGroup.add(requests);
        replyGroup.add(replies);
    }

    public static long sizeFor(int capacity) {
        return PAGE + 2L * BitUtil.align(capacity + RingBufferDescriptor.TRAILER_LENGTH, PAGE);
    }

    /** Sovereign side. */
    public static FastPathSegment format(SharedMemory memory, int id, int capacity) {
        if (!BitUtil.isPowerOfTwo(capacity) || memory.size() < sizeFor(capacity)) {
            throw new IllegalArgumentException("fast path segment of " + memory.size() + " bytes cannot hold rings of "
                    + capacity);
        }
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), PAGE);
        b.putInt(8, VERSION);
        b.putInt(12, id);
        b.putInt(16, capacity);
        b.putLongVolatile(0, MAGIC);
        return new FastPathSegment(memory, id, capacity);
    }

    /** Engine and component side: checks the header before trusting it. */
    public static FastPathSegment attach(SharedMemory memory) {
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), PAGE);
        if (memory.size() < PAGE || b.getLongVolatile(0) != MAGIC || b.getInt(8) != VERSION) {
            throw new IllegalStateException("not an Atomic fast path segment");
        }
        int capacity = b.getInt(16);
        if (capacity < 1024 || !BitUtil.isPowerOfTwo(capacity) || memory.size() < sizeFor(capacity)) {
            throw new IllegalStateException("fast path segment header does not fit its " + memory.size() + " bytes");
        }
        return new FastPathSegment(memory, b.getInt(12), capacity);
    }

    public int id() {
        return id;
    }

    /** Caller → provider. */
    public Lane requests() {
        return requests;
    }

    /** Provider → caller. */
    public Lane replies() {
        return replies;
    }

    /** Engine side, with both ends closed or dead: empties both rings for the next opening. */
    public void reset() {
        requests.reset();
        replies.reset();
    }

    public SharedMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
    }
}
