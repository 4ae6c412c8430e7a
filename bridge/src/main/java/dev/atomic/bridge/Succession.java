package dev.atomic.bridge;

import dev.atomic.system.RobustMutex;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.foreign.MemorySegment;

/**
 * How the Engine's seat passes from one Engine to the next: the control region's block at {@link #OFFSET}.
 * <pre>
 *   +0  long standby pid    a standby Engine that is warm and waiting for the seat; 0 when none (or once promoted)
 *   +8  long ready at       CLOCK_MONOTONIC nanoseconds at which the active Engine became ready
 *   +16 long last beat      the heartbeat its predecessor wrote last (recorded when it took over)
 *   +24 long death seen     when the predecessor's death was learnt: by the standby that took over, or by the
 *                           Sovereign before a cold start
 *   +32 int  lock in use    1 when the seat is the robust mutex at +64; 0 when the C library has none, and the
 *                           Sovereign promotes the standby by ringing its doorbell instead
 *   +36 int  stopping       1 once Atomic is stopping: an Engine that gets the seat then exits
 *   +64 64 B the seat       a robust, process-shared mutex held by the active Engine's duty-cycle thread, the only
 *                           thread that writes the rings. When it dies, the kernel releases the mutex at once and
 *                           wakes the standby waiting on it, which takes over.
 * </pre>
 */
public final class Succession {
    static final int OFFSET = 256;
    static final int LENGTH = 128;
    private static final int STANDBY_PID = OFFSET;
    private static final int READY_AT = OFFSET + 8;
    private static final int LAST_BEAT = OFFSET + 16;
    private static final int DEATH_SEEN = OFFSET + 24;
    private static final int LOCK_IN_USE = OFFSET + 32;
    private static final int STOPPING = OFFSET + 36;
    private static final int SEAT = OFFSET + 64;

    private final AtomicBuffer buffer;
    private final MemorySegment segment;

    Succession(AtomicBuffer buffer, MemorySegment segment) {
        this.buffer = buffer;
        this.segment = segment;
    }

    /** Sovereign side, on a fresh region: the seat is a robust mutex where the C library has them. */
    void format() {
        if (RobustMutex.supported()) {
            RobustMutex.init(segment, SEAT);
            buffer.putIntVolatile(LOCK_IN_USE, 1);
        }
    }

    /** Whether the seat is a robust mutex (a standby takes it by itself the instant the active Engine dies). */
    public boolean seatIsLock() {
        return buffer.getIntVolatile(LOCK_IN_USE) == 1;
    }

    /**
     * Engine side, on the thread that will run the duty cycle: blocks until this thread holds the seat — at once for
     * the first Engine, at its predecessor's death for a standby or a cold replacement.
     */
    public RobustMutex.Acquired takeSeat() {
        return RobustMutex.lock(segment, SEAT);
    }

    public long standbyPid() {
        return buffer.getLongVolatile(STANDBY_PID);
    }

    /** A standby says it is warm and waiting. */
    public void standbyWaiting(long pid) {
        buffer.putLongVolatile(STANDBY_PID, pid);
    }

    /** Recorded by the Engine taking over, before it touches a ring; {@code deathSeen} 0 keeps the Sovereign's. */
    void tookOver(long lastBeat, long deathSeen) {
        buffer.putLongVolatile(LAST_BEAT, lastBeat);
        if (deathSeen != 0) {
            buffer.putLongVolatile(DEATH_SEEN, deathSeen);
        }
        buffer.putLongVolatile(STANDBY_PID, 0);
    }

    public long lastBeat() {
        return buffer.getLongVolatile(LAST_BEAT);
    }

    public long deathSeen() {
        return buffer.getLongVolatile(DEATH_SEEN);
    }

    /** Sovereign side: it learnt of the death itself, and starts a cold Engine. */
    public void deathSeen(long nanos) {
        buffer.putLongVolatile(DEATH_SEEN, nanos);
    }

    public long readyAt() {
        return buffer.getLongVolatile(READY_AT);
    }

    void readyAt(long nanos) {
        buffer.putLongVolatile(READY_AT, nanos);
    }

    public boolean stopping() {
        return buffer.getIntVolatile(STOPPING) == 1;
    }

    /** Sovereign side: from now on nobody takes over; an Engine that gets the seat exits. */
    public void stopping(boolean stopping) {
        buffer.putIntVolatile(STOPPING, stopping ? 1 : 0);
    }
}
