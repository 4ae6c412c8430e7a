package dev.atomic.bridge;

import dev.atomic.system.RobustMutex;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.SyscallException;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One component's bridge to the Engine: its own shared-memory segment, mapped only by that component and the
 * Engine (and created by the Sovereign), so a component can never reach another component's lanes.
 * <pre>
 *      0 long magic        "ATOMLAN2"
 *      8 int  version      2
 *     12 int  slot         the component's slot number
 *     16 int  generation   which incarnation may use the lanes (the Engine bumps it on every restart)
 *     24 long pid          the component process, written by the component when it attaches
 *     32 int  capacity of the critical rings, 36 of the request rings, 40 of the transfer rings (powers of two)
 *     44 int  ready        1 once the component finished its init and start (it writes it; the Engine reads it
 *                          when it adopts a component after its predecessor died)
 *     48 int  listener     the component's seccomp notification listener: its descriptor number once the
 *                          component publishes it, 0 for none, -1 once the Engine took its copy (docs/seccomp.md)
 *     64      doorbell of the request direction  (component → Engine; consumer: the Engine)
 *    128      doorbell of the delivery direction (Engine → component; consumer: the component)
 *    256      host lock: a robust mutex a component host holds from its start until its process dies, whose
 *             release by the kernel is the Engine's first news of the death (64 bytes)
 *   4096      request rings: critical, request, transfer; then delivery rings: critical, request, transfer.
 *             Each is an Agrona one-to-one ring of its capacity plus the 768-byte trailer, page aligned.
 * </pre>
 */
public final class LaneSegment implements AutoCloseable {
    /** Ring sizes per lane class. A frame carries at most an eighth of its ring. */
    public record Capacities(int critical, int normal, int bulk) {
        public static final Capacities DEFAULT = new Capacities(64 * 1024, 256 * 1024, 1024 * 1024);

        public Capacities {
            for (int c : new int[]{critical, normal, bulk}) {
                if (c < 1024 || !BitUtil.isPowerOfTwo(c)) {
                    throw new IllegalArgumentException("lane capacity " + c + " is not a power of two of at least 1024");
                }
            }
        }

        public static Capacities uniform(int capacity) {
            return new Capacities(capacity, capacity, capacity);
        }

        int of(Priority p) {
            return switch (p) {
                case CRITICAL -> critical;
                case NORMAL -> normal;
                case BULK -> bulk;
            };
        }

        long ringsBytes() {
            long total = 0;
            for (Priority p : Priority.values()) {
                total += ringBytes(of(p));
            }
            return total;
        }
    }

    private static final long MAGIC = 0x324E414C4D4F5441L; // "ATOMLAN2" little-endian
    private static final int VERSION = 2;
    private static final int SLOT = 12;
    private static final int GENERATION = 16;
    private static final int PID = 24;
    private static final int CAPACITIES = 32;
    private static final int READY = 44;
    private static final int LISTENER = 48;
    private static final int HEARTBEAT = 56;
    /** {@link #seccompListener()} once the Engine holds its own copy of the listener. */
    public static final int LISTENER_TAKEN = -1;
    private static final int REQUEST_BELL = 64;
    private static final int DELIVERY_BELL = 128;
    private static final int COALESCING_WINDOW = 192;
    private static final int HOST_LOCK = 256;
    private static final int PAGE = 4096;

    private final SharedMemory memory;
    private final AtomicBuffer buffer;
    private final LaneGroup requests;
    private final LaneGroup deliveries;

    private LaneSegment(SharedMemory memory, Capacities capacities) {
        this.memory = memory;
        this.buffer = new UnsafeBuffer(memory.segment().address(), Math.toIntExact(memory.size()));
        this.requests = new LaneGroup(new Doorbell(buffer, memory.segment(), REQUEST_BELL));
        this.deliveries = new LaneGroup(new Doorbell(buffer, memory.segment(), DELIVERY_BELL));
        long at = PAGE;
        for (LaneGroup group : new LaneGroup[]{requests, deliveries}) {
            String direction = group == requests ? "request/" : "delivery/";
            for (Priority p : Priority.values()) {
                int length = capacities.of(p) + RingBufferDescriptor.TRAILER_LENGTH;
                group.add(new Lane(direction + p.laneName(), p, new UnsafeBuffer(buffer, (int) at, length), group));
                at += ringBytes(capacities.of(p));
            }
        }
    }

    private static long ringBytes(int capacity) {
        return BitUtil.align(capacity + RingBufferDescriptor.TRAILER_LENGTH, PAGE);
    }

    public static long sizeFor(Capacities capacities) {
        return PAGE + 2 * capacities.ringsBytes();
    }

    /** Every ring of the same capacity. */
    public static long sizeFor(int capacity) {
        return sizeFor(Capacities.uniform(capacity));
    }

    /** Sovereign side: lays out a fresh, zeroed segment. */
    public static LaneSegment format(SharedMemory memory, int slot, Capacities capacities) {
        if (memory.size() < sizeFor(capacities)) {
            throw new IllegalArgumentException("segment of " + memory.size() + " bytes is too small for lanes of "
                    + capacities + " (needs " + sizeFor(capacities) + ")");
        }
        UnsafeBuffer b = new UnsafeBuffer(memory.segment().address(), PAGE);
        b.putInt(8, VERSION);
        b.putInt(SLOT, slot);
        b.putInt(CAPACITIES, capacities.critical());
        b.putInt(CAPACITIES + 4, capacities.normal());
        b.putInt(CAPACITIES + 8, capacities.bulk());
        if (RobustMutex.supported()) {
            RobustMutex.init(memory.segment(), HOST_LOCK);
        }
        b.putLongVolatile(0, MAGIC);
        return new LaneSegment(memory, capacities);
    }

    public static LaneSegment format(SharedMemory memory, int slot, int capacity) {
        return format(memory, slot, Capacities.uniform(capacity));
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
        Capacities capacities;
        try {
            capacities = new Capacities(b.getInt(CAPACITIES), b.getInt(CAPACITIES + 4), b.getInt(CAPACITIES + 8));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("lane segment header is corrupt: " + e.getMessage());
        }
        if (memory.size() < sizeFor(capacities)) {
            throw new IllegalStateException("lane segment declares rings of " + capacities + ", which do not fit its "
                    + memory.size() + " bytes");
        }
        return new LaneSegment(memory, capacities);
    }

    /** Component → Engine. */
    public LaneGroup requests() {
        return requests;
    }

    /** Engine → component. */
    public LaneGroup deliveries() {
        return deliveries;
    }

    /** The request lane of normal priority (component → Engine). */
    public Lane inbound() {
        return requests.lane(Priority.NORMAL);
    }

    /** The delivery lane of normal priority (Engine → component). */
    public Lane outbound() {
        return deliveries.lane(Priority.NORMAL);
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

    /** Whether the component finished its init and start: only then does the Engine route to it. */
    public boolean componentReady() {
        return buffer.getIntVolatile(READY) == 1;
    }

    public void componentReady(boolean ready) {
        buffer.putIntVolatile(READY, ready ? 1 : 0);
    }

    /**
     * The component's heartbeat: a count its lane thread bumps on every turn of its loop, so a hang shows as a count
     * that stops, at the cost of one store per turn and no frame. 0 for a component that never beats.
     */
    public long heartbeat() {
        return buffer.getLongVolatile(HEARTBEAT);
    }

    /** One beat, by the lane thread only (the one writer): a plain add with release semantics. */
    public void beat() {
        buffer.putLongRelease(HEARTBEAT, buffer.getLong(HEARTBEAT) + 1);
    }

    /**
     * The component's seccomp listener: the number of the descriptor the Engine should copy out of it (positive),
     * 0 when it published none, or {@link #LISTENER_TAKEN}.
     */
    public int seccompListener() {
        return buffer.getIntVolatile(LISTENER);
    }

    /** Component side: publishes its listener's descriptor number for the Engine to take (pidfd_getfd). */
    public void publishSeccompListener(int fd) {
        if (fd <= 0) {
            throw new IllegalArgumentException("not a listener descriptor: " + fd);
        }
        buffer.putIntVolatile(LISTENER, fd);
    }

    /** Engine side, before it answers HELLO: it holds its own copy now, so the component closes its own. */
    public void seccompListenerTaken() {
        buffer.putIntVolatile(LISTENER, LISTENER_TAKEN);
    }

    /**
     * How long the component may hold an ordinary event to merge the next ones of its kind into it, nanoseconds
     * (0: write each at once). The Engine writes it from the source's rate and its coalescing tunable; the component's
     * SDK reads it on every emit (docs/bridge-protocol.md, *Events and coalescing*).
     */
    public long coalescingWindowNanos() {
        return buffer.getLongVolatile(COALESCING_WINDOW);
    }

    /** Engine side: the component's coalescing window from now on. */
    public void coalescingWindowNanos(long nanos) {
        buffer.putLongVolatile(COALESCING_WINDOW, Math.max(0, nanos));
    }

    /**
     * Component side, by the thread that lives as long as its process: takes the host lock, whose release the Engine
     * takes for the death of the process. Never blocks: false when it is held (the previous incarnation is not yet
     * gone, or the component wrote over it) or broken, or the C library has no robust mutexes; the Engine then
     * learns of the death from the process's pidfd alone. Not released: it goes with the process (or the thread).
     */
    public boolean takeHostLock() {
        try {
            return RobustMutex.supported() && RobustMutex.tryLock(memory.segment(), HOST_LOCK) != null;
        } catch (SyscallException e) {
            return false;
        }
    }

    /**
     * Engine side: asks the kernel to wake a waiter on the host lock when its holder dies; the lock word as it then
     * stands ({@link RobustMutex#held} false when no live thread holds it).
     */
    public int watchHostLock() {
        return RobustMutex.watch(memory.segment(), HOST_LOCK);
    }

    /** Engine side: the host lock's word as it stands. */
    public int hostLock() {
        return RobustMutex.word(memory.segment(), HOST_LOCK);
    }

    /** The host lock's futex word, for a waiter that sleeps on several. */
    public long hostLockAddress() {
        return RobustMutex.wordAddress(memory.segment(), HOST_LOCK);
    }

    /**
     * Engine side, between two incarnations: empties every lane and moves to the next generation. Only with the
     * component stopped: that is how a producer that died mid-write never wedges a lane.
     */
    public int resetForNextGeneration() {
        requests.reset();
        deliveries.reset();
        buffer.putLongVolatile(PID, 0);
        buffer.putIntVolatile(READY, 0);
        buffer.putIntVolatile(LISTENER, 0);
        buffer.putLongVolatile(HEARTBEAT, 0);
        buffer.putLongVolatile(COALESCING_WINDOW, 0);
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
