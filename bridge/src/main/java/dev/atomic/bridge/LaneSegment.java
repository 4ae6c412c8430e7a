package dev.atomic.bridge;

import dev.atomic.system.SharedMemory;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One component's bridge to the Engine: its own shared-memory segment, mapped only by that component and the
 * Engine (and created by the Sovereign), so a component can never reach another component's lanes.
 * <pre>
 *      0 long magic        "ATOMLAN1"
 *      8 int  version      1
 *     12 int  slot         the component's slot number
 *     16 int  capacity     bytes of each ring (a power of two)
 *     20 int  generation   which incarnation may use the lanes (the Engine bumps it on every restart)
 *     24 long pid          the component process, written by the component when it attaches
 *     64      doorbell of the inbound lane (consumer: the Engine)
 *    128      doorbell of the outbound lane (consumer: the component)
 *   4096      inbound ring  (component → Engine: requests, replies), Agrona many-to-one ring + trailer
 *   4096 + capacity + trailer, rounded up to 4096:
 *             outbound ring (Engine → component: deliveries), Agrona one-to-one ring + trailer
 * </pre>
 * The inbound ring is many-to-one because a component may call from several threads while its lane thread
 * answers requests; the Engine is the only writer of the outbound ring.
 */
public final class LaneSegment implements AutoCloseable {
    private static final long MAGIC = 0x314E414C4D4F5441L; // "ATOMLAN1" little-endian
    private static final int VERSION = 1;
    private static final int SLOT = 12;
    private static final int CAPACITY = 16;
    private static final int GENERATION = 20;
    private static final int PID = 24;
    private static final int INBOUND_BELL = 64;
    private static final int OUTBOUND_BELL = 128;
    private static final int PAGE = 4096;

    private final SharedMemory memory;
    private final AtomicBuffer buffer;
    private final Lane inbound;
    private final Lane outbound;

    private LaneSegment(SharedMemory memory, int capacity) {
        this.memory = memory;
        this.buffer = new UnsafeBuffer(memory.segment().address(), Math.toIntExact(memory.size()));
        int ringLength = capacity + RingBufferDescriptor.TRAILER_LENGTH;
        UnsafeBuffer in = new UnsafeBuffer(buffer, PAGE, ringLength);
        UnsafeBuffer out = new UnsafeBuffer(buffer, outboundOffset(capacity), ringLength);
        this.inbound = new Lane("inbound", new ManyToOneRingBuffer(in), in,
                new Doorbell(buffer, memory.segment(), INBOUND_BELL));
        this.outbound = new Lane("outbound", new OneToOneRingBuffer(out), out,
                new Doorbell(buffer, memory.segment(), OUTBOUND_BELL));
    }

    /** Bytes a segment with rings of {@code capacity} bytes needs. */
    public static long sizeFor(int capacity) {
        return outboundOffset(capacity) + BitUtil.align(capacity + RingBufferDescriptor.TRAILER_LENGTH, PAGE);
    }

    private static int outboundOffset(int capacity) {
        return PAGE + BitUtil.align(capacity + RingBufferDescriptor.TRAILER_LENGTH, PAGE);
    }

    /** Sovereign side: lays out a fresh, zeroed segment. */
    public static LaneSegment format(SharedMemory memory, int slot, int capacity) {
        if (!BitUtil.isPowerOfTwo(capacity)) {
            throw new IllegalArgumentException("lane capacity " + capacity + " is not a power of two");
        }
        if (memory.size() < sizeFor(capacity)) {
            throw new IllegalArgumentException("segment of " + memory.size() + " bytes is too small for lanes of "
                    + capacity + " bytes (needs " + sizeFor(capacity) + ")");
        }
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), PAGE);
        b.putInt(8, VERSION);
        b.putInt(SLOT, slot);
        b.putInt(CAPACITY, capacity);
        b.putLongVolatile(0, MAGIC);
        return new LaneSegment(memory, capacity);
    }

    /** Engine and component side: checks the segment really is a lane segment before trusting any offset in it. */
    public static LaneSegment attach(SharedMemory memory) {
        if (memory.size() < PAGE) {
            throw new IllegalStateException("lane segment of " + memory.size() + " bytes is smaller than its header");
        }
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), PAGE);
        if (b.getLongVolatile(0) != MAGIC) {
            throw new IllegalStateException("not an Atomic lane segment (bad magic)");
        }
        if (b.getInt(8) != VERSION) {
            throw new IllegalStateException("lane segment version " + b.getInt(8) + ", expected " + VERSION);
        }
        int capacity = b.getInt(CAPACITY);
        if (capacity <= 0 || !BitUtil.isPowerOfTwo(capacity) || memory.size() < sizeFor(capacity)) {
            throw new IllegalStateException("lane segment declares rings of " + capacity + " bytes, which do not fit its "
                    + memory.size() + " bytes");
        }
        return new LaneSegment(memory, capacity);
    }

    public Lane inbound() {
        return inbound;
    }

    public Lane outbound() {
        return outbound;
    }

    public int slot() {
        return buffer.getInt(SLOT);
    }

    public int generation() {
        return buffer.getIntVolatile(GENERATION);
    }

    public long componentPid() {
        return buffer.getLongVolatile(PID);
    }

    public void componentPid(long pid) {
        buffer.putLongVolatile(PID, pid);
    }

    /** Engine side, between two incarnations: empties both lanes and moves to the next generation. */
    public int resetForNextGeneration() {
        inbound.reset();
        outbound.reset();
        buffer.putLongVolatile(PID, 0);
        int next = generation() + 1;
        buffer.putIntVolatile(GENERATION, next);
        return next;
    }

    public SharedMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
    }
}
