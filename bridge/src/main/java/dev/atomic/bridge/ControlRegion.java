package dev.atomic.bridge;

import dev.atomic.system.SharedMemory;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.charset.StandardCharsets;

/**
 * The Sovereign's shared segment with the Engine: never mapped by a component.
 * <pre>
 *      0 long magic          "ATOMCTL1"
 *      8 int  version        1
 *     12 int  slots          number of component slots
 *     16 int  capacity       bytes of each admin ring (a power of two)
 *     20 int  pools          number of buffer pools
 *     52 int  fast paths     number of fast path segments
 *     56 long first routed   CLOCK_MONOTONIC nanoseconds at which this Engine routed its first frame (0: not yet)
 *     24 long sovereign pid
 *     32 long engine pid     written by the Engine when it attaches
 *     40 long heartbeat      Engine's CLOCK_MONOTONIC nanoseconds, refreshed every duty cycle
 *     48 int  engine state   0 starting, 1 ready, 2 stopping
 *     64      doorbell of the orders lane (consumer: the Engine)
 *    128      doorbell of the admin lane (consumer: the Sovereign)
 *    192      doorbell of the standby Engine: rung once, to promote it; its sequence word stays 0 until then
 *    256      the succession block, 128 bytes: standby, the Engine's seat, the record of the last takeover
 *             (see {@link Succession})
 *    384 int  tripwires      the Sovereign's descriptor of the fanotify group watching the sandboxes' decoys (0: none)
 *   4096      slot table, 256 bytes a slot:
 *               0 int kernel (0 services, 1 drivers &amp; apps)   4 int the Sovereign's copy of the slot's seccomp
 *               listener (its descriptor number; 0: none)   8 long the pid of the slot's component as the
 *               Sovereign started it (0: none)   16 int name length, 20 name (≤ 60 bytes, UTF-8)
 *              80 int path length, 84 path (≤ 172 bytes): where the Engine opens the slot's {@link LaneSegment}
 *   then        pool table, 256 bytes a pool: 0 int path length, 4 path (≤ 252 bytes) of its {@link PoolSegment}
 *   then        fast path table, 256 bytes each, the same form, of its {@link FastPathSegment}
 *   then, page aligned: the orders ring (Sovereign → Engine: the auto-recovery lane, served first every cycle)
 *   then, page aligned: the admin ring  (Engine → Sovereign: spawn requests, boot stages)
 *   then, page aligned: the Engine's state mirror ({@link MirrorRegion})
 * Both are one-to-one rings: the Sovereign serialises its writers, the Engine has one.
 * </pre>
 */
public final class ControlRegion implements AutoCloseable {
    public static final int STARTING = 0;
    public static final int READY = 1;
    public static final int STOPPING = 2;
    public static final int KERNEL_SERVICES = 0;
    public static final int KERNEL_DAK = 1;

    private static final long MAGIC = 0x314C54434D4F5441L; // "ATOMCTL1" little-endian
    private static final int VERSION = 1;
    private static final int SLOTS = 12;
    private static final int CAPACITY = 16;
    private static final int POOLS = 20;
    private static final int FAST_PATHS = 52;
    private static final int FIRST_ROUTED = 56;
    private static final int SOVEREIGN_PID = 24;
    private static final int ENGINE_PID = 32;
    private static final int HEARTBEAT = 40;
    private static final int ENGINE_STATE = 48;
    private static final int ORDERS_BELL = 64;
    private static final int ADMIN_BELL = 128;
    private static final int STANDBY_BELL = 192;
    private static final int TRIPWIRES = 384;
    private static final int PAGE = 4096;
    private static final int SLOT_TABLE = PAGE;
    private static final int SLOT_LENGTH = 256;
    private static final int SLOT_KERNEL = 0;
    private static final int SLOT_LISTENER = 4;
    private static final int SLOT_PID = 8;
    private static final int SLOT_NAME = 16;
    private static final int NAME_MAX = 60;
    private static final int SLOT_PATH = 80;
    private static final int PATH_MAX = 172;
    private static final int POOL_PATH_MAX = 252;

    private final SharedMemory memory;
    private final AtomicBuffer buffer;
    private final int slots;
    private final int pools;
    private final int fastPaths;
    private final Lane orders;
    private final Lane admin;
    private final Succession succession;
    private final MirrorRegion mirror;

    private ControlRegion(SharedMemory memory, int slots, int pools, int fastPaths, int capacity) {
        this.memory = memory;
        this.slots = slots;
        this.pools = pools;
        this.fastPaths = fastPaths;
        this.buffer = new UnsafeBuffer(memory.segment().address(), Math.toIntExact(memory.size()));
        this.succession = new Succession(buffer, memory.segment());
        int ringLength = capacity + RingBufferDescriptor.TRAILER_LENGTH;
        int ordersOffset = ordersOffset(slots + pools + fastPaths);
        this.orders = lane("orders", ORDERS_BELL, new UnsafeBuffer(buffer, ordersOffset, ringLength));
        this.admin = lane("admin", ADMIN_BELL,
                new UnsafeBuffer(buffer, ordersOffset + BitUtil.align(ringLength, PAGE), ringLength));
        this.mirror = new MirrorRegion(buffer, memory.segment().asByteBuffer(),
                ordersOffset + 2 * BitUtil.align(ringLength, PAGE), slots, fastPaths);
    }

    /** A direction of its own, with one lane: the orders lane outranks every component lane. */
    private Lane lane(String name, int bell, UnsafeBuffer area) {
        LaneGroup group = new LaneGroup(new Doorbell(buffer, memory.segment(), bell));
        Lane lane = new Lane(name, Priority.CRITICAL, area, group);
        group.add(lane);
        return lane;
    }

    /**
     * The warm standby Engine's doorbell: the standby waits on it, already started and attached, and the Sovereign
     * rings it to promote the standby when the active Engine is dead.
     */
    public Doorbell standbyDoorbell() {
        return new Doorbell(buffer, memory.segment(), STANDBY_BELL);
    }

    /** The doorbell the Engine sleeps on for orders. */
    public Doorbell ordersDoorbell() {
        return orders.group().doorbell();
    }

    public static long sizeFor(int slots, int pools, int fastPaths, int capacity) {
        return ordersOffset(slots + pools + fastPaths)
                + 2L * BitUtil.align(capacity + RingBufferDescriptor.TRAILER_LENGTH, PAGE)
                + MirrorRegion.sizeFor(slots, fastPaths);
    }

    /** The tables hold a 256-byte entry per slot, pool and fast path, in that order. */
    private static int ordersOffset(int entries) {
        return BitUtil.align(SLOT_TABLE + entries * SLOT_LENGTH, PAGE);
    }

    /** Sovereign side: lays out a fresh, zeroed region. */
    public static ControlRegion format(SharedMemory memory, int slots, int pools, int fastPaths, int capacity,
                                       long sovereignPid) {
        if (!BitUtil.isPowerOfTwo(capacity) || memory.size() < sizeFor(slots, pools, fastPaths, capacity)) {
            throw new IllegalArgumentException("control region of " + memory.size() + " bytes cannot hold " + slots
                    + " slots and admin rings of " + capacity + " bytes");
        }
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), PAGE);
        b.putInt(8, VERSION);
        b.putInt(SLOTS, slots);
        b.putInt(CAPACITY, capacity);
        b.putInt(POOLS, pools);
        b.putInt(FAST_PATHS, fastPaths);
        b.putLong(SOVEREIGN_PID, sovereignPid);
        ControlRegion region = new ControlRegion(memory, slots, pools, fastPaths, capacity);
        region.succession.format();
        region.mirror.format();
        b.putLongVolatile(0, MAGIC);
        return region;
    }

    /** Engine side: validates the header before using any offset from it. */
    public static ControlRegion attach(SharedMemory memory) {
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), PAGE);
        if (memory.size() < PAGE || b.getLongVolatile(0) != MAGIC) {
            throw new IllegalStateException("not an Atomic control region (bad magic)");
        }
        if (b.getInt(8) != VERSION) {
            throw new IllegalStateException("control region version " + b.getInt(8) + ", expected " + VERSION);
        }
        int slots = b.getInt(SLOTS);
        int pools = b.getInt(POOLS);
        int fastPaths = b.getInt(FAST_PATHS);
        int capacity = b.getInt(CAPACITY);
        if (slots < 0 || pools < 0 || fastPaths < 0 || capacity <= 0 || !BitUtil.isPowerOfTwo(capacity)
                || memory.size() < sizeFor(slots, pools, fastPaths, capacity)) {
            throw new IllegalStateException("control region header does not fit its " + memory.size() + " bytes");
        }
        return new ControlRegion(memory, slots, pools, fastPaths, capacity);
    }

    public int slots() {
        return slots;
    }

    public Lane orders() {
        return orders;
    }

    public Lane admin() {
        return admin;
    }

    public long sovereignPid() {
        return buffer.getLong(SOVEREIGN_PID);
    }

    public long enginePid() {
        return buffer.getLongVolatile(ENGINE_PID);
    }

    public void enginePid(long pid) {
        buffer.putLongVolatile(ENGINE_PID, pid);
    }

    public long heartbeat() {
        return buffer.getLongVolatile(HEARTBEAT);
    }

    public void heartbeat(long nanos) {
        buffer.putLongOrdered(HEARTBEAT, nanos);
    }

    public Succession succession() {
        return succession;
    }

    public MirrorRegion mirror() {
        return mirror;
    }

    /**
     * Engine side: this Engine takes over from one that died (it holds the seat, or was promoted). Records its
     * predecessor's last heartbeat and when the death was learnt ({@code deathSeen}; 0 when the Sovereign saw it and
     * recorded it itself), and starts a new failover measurement, before any ring is touched.
     */
    public void takeOver(long deathSeen) {
        succession.tookOver(heartbeat(), deathSeen);
        firstRouted(0);
        engineState(STARTING);
    }

    /** When the active Engine routed its first frame: with the last heartbeat of its predecessor, the failover time. */
    public long firstRouted() {
        return buffer.getLongVolatile(FIRST_ROUTED);
    }

    public void firstRouted(long nanos) {
        buffer.putLongVolatile(FIRST_ROUTED, nanos);
    }

    public int engineState() {
        return buffer.getIntVolatile(ENGINE_STATE);
    }

    public void engineState(int state) {
        buffer.putIntVolatile(ENGINE_STATE, state);
    }

    /** Engine side: it is ready from now on (state and the time it became so). */
    public void engineReady(long nanos) {
        succession.readyAt(nanos);
        engineState(READY);
    }

    /** Sovereign side: describes a slot before the Engine starts. */
    public void describeSlot(int slot, int kernel, String name, String segmentPath) {
        int at = slotOffset(slot);
        buffer.putInt(at + SLOT_KERNEL, kernel);
        putString(at + SLOT_NAME, name, NAME_MAX);
        putString(at + SLOT_PATH, segmentPath, PATH_MAX);
    }

    /**
     * The descriptor number, in the Sovereign, of the fanotify group that holds opens of the sandboxes' decoy files
     * (0: none): each active Engine takes its own copy (pidfd_getfd) and answers them; the Sovereign's keeps the
     * group, and so the held opens, alive across an Engine's death.
     */
    public int tripwires() {
        return buffer.getIntVolatile(TRIPWIRES);
    }

    /** Sovereign side. */
    public void tripwires(int fd) {
        buffer.putIntVolatile(TRIPWIRES, fd);
    }

    /**
     * The descriptor number, in the Sovereign, of its copy of the seccomp listener of the slot's running component
     * (0: none): a new Engine takes its own from there (pidfd_getfd), so trapped calls outlive an Engine.
     */
    public int slotListener(int slot) {
        return buffer.getIntVolatile(slotOffset(slot) + SLOT_LISTENER);
    }

    /** Sovereign side. */
    public void slotListener(int slot, int fd) {
        buffer.putIntVolatile(slotOffset(slot) + SLOT_LISTENER, fd);
    }

    /**
     * The pid of the slot's component as the Sovereign started it (0: none). An Engine that takes over adopts this
     * one, not the pid in the component's own lane segment, which the component could overwrite to have the Engine
     * watch, and one day kill, another process.
     */
    public long slotPid(int slot) {
        return buffer.getLongVolatile(slotOffset(slot) + SLOT_PID);
    }

    /** Sovereign side. */
    public void slotPid(int slot, long pid) {
        buffer.putLongVolatile(slotOffset(slot) + SLOT_PID, pid);
    }

    public int slotKernel(int slot) {
        return buffer.getInt(slotOffset(slot) + SLOT_KERNEL);
    }

    public String slotName(int slot) {
        return getString(slotOffset(slot) + SLOT_NAME, NAME_MAX);
    }

    public String slotPath(int slot) {
        return getString(slotOffset(slot) + SLOT_PATH, PATH_MAX);
    }

    public int pools() {
        return pools;
    }

    /** Sovereign side: where pool {@code pool}'s segment can be opened. */
    public void describePool(int pool, String segmentPath) {
        putString(poolOffset(pool), segmentPath, POOL_PATH_MAX);
    }

    public String poolPath(int pool) {
        return getString(poolOffset(pool), POOL_PATH_MAX);
    }

    private int poolOffset(int pool) {
        if (pool < 0 || pool >= pools) {
            throw new IndexOutOfBoundsException("pool " + pool + " of " + pools);
        }
        return SLOT_TABLE + (slots + pool) * SLOT_LENGTH;
    }

    public int fastPaths() {
        return fastPaths;
    }

    /** Sovereign side: where fast path {@code id}'s segment can be opened. */
    public void describeFastPath(int id, String segmentPath) {
        putString(fastPathOffset(id), segmentPath, POOL_PATH_MAX);
    }

    public String fastPathPath(int id) {
        return getString(fastPathOffset(id), POOL_PATH_MAX);
    }

    private int fastPathOffset(int id) {
        if (id < 0 || id >= fastPaths) {
            throw new IndexOutOfBoundsException("fast path " + id + " of " + fastPaths);
        }
        return SLOT_TABLE + (slots + pools + id) * SLOT_LENGTH;
    }

    private int slotOffset(int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IndexOutOfBoundsException("slot " + slot + " of " + slots);
        }
        return SLOT_TABLE + slot * SLOT_LENGTH;
    }

    private void putString(int at, String value, int max) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw new IllegalArgumentException("'" + value + "' is longer than " + max + " bytes");
        }
        buffer.putInt(at, bytes.length);
        buffer.putBytes(at + 4, bytes);
    }

    private String getString(int at, int max) {
        int length = buffer.getInt(at);
        if (length < 0 || length > max) {
            throw new IllegalStateException("corrupt slot table: string length " + length);
        }
        return buffer.getStringWithoutLengthUtf8(at + 4, length);
    }

    public SharedMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
    }
}
