package dev.atomic.bridge;

import dev.atomic.system.SharedMemory;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.foreign.MemorySegment;

/**
 * A buffer pool for zero-copy calls: mapped by exactly two components, the caller and the provider of one
 * binding, and never by the Engine, which keeps who owns which buffer in its own memory.
 * <pre>
 *      0 long magic        "ATOMPOL1"
 *      8 int  version      1
 *     12 int  pool id
 *     16 int  buffer size  a power of two
 *     20 int  buffers
 *   4096      the buffers, one after the other: buffer i starts at offset i × size of the data area
 * </pre>
 * Offsets in pool references count from the start of the data area (4096 into the segment).
 */
public final class PoolSegment implements AutoCloseable {
    private static final long MAGIC = 0x314C4F504D4F5441L; // "ATOMPOL1" little-endian
    private static final int VERSION = 1;
    private static final int DATA = 4096;

    private final SharedMemory memory;
    private final int id;
    private final int bufferSize;
    private final int buffers;

    private PoolSegment(SharedMemory memory, int id, int bufferSize, int buffers) {
        this.memory = memory;
        this.id = id;
        this.bufferSize = bufferSize;
        this.buffers = buffers;
    }

    public static long sizeFor(int bufferSize, int buffers) {
        return DATA + (long) bufferSize * buffers;
    }

    /** Sovereign side. */
    public static PoolSegment format(SharedMemory memory, int id, int bufferSize, int buffers) {
        if (!BitUtil.isPowerOfTwo(bufferSize) || memory.size() < sizeFor(bufferSize, buffers)) {
            throw new IllegalArgumentException("pool segment of " + memory.size() + " bytes cannot hold " + buffers
                    + " buffers of " + bufferSize);
        }
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), DATA);
        b.putInt(8, VERSION);
        b.putInt(12, id);
        b.putInt(16, bufferSize);
        b.putInt(20, buffers);
        b.putLongVolatile(0, MAGIC);
        return new PoolSegment(memory, id, bufferSize, buffers);
    }

    /** Component side: checks the header before trusting it. */
    public static PoolSegment attach(SharedMemory memory) {
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), DATA);
        if (memory.size() < DATA || b.getLongVolatile(0) != MAGIC || b.getInt(8) != VERSION) {
            throw new IllegalStateException("not an Atomic pool segment");
        }
        int size = b.getInt(16);
        int count = b.getInt(20);
        if (size <= 0 || !BitUtil.isPowerOfTwo(size) || count <= 0 || memory.size() < sizeFor(size, count)) {
            throw new IllegalStateException("pool segment header does not fit its " + memory.size() + " bytes");
        }
        return new PoolSegment(memory, b.getInt(12), size, count);
    }

    public int id() {
        return id;
    }

    public int bufferSize() {
        return bufferSize;
    }

    public int buffers() {
        return buffers;
    }

    /** Buffer i, in place. */
    public MemorySegment buffer(int i) {
        return memory.segment().asSlice(DATA + (long) i * bufferSize, bufferSize);
    }

    /** The bytes a pool reference names, in place; the caller has checked the reference. */
    public MemorySegment slice(long offset, int length) {
        return memory.segment().asSlice(DATA + offset, length);
    }

    public SharedMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
    }
}
