package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Sleeps on several futex words at once ({@code futex_waitv}, Linux 5.16+): how one consumer of many lanes — the
 * Engine — sleeps until any of its producers rings, while each producer can write only the word in its own
 * segment. Built once and reused, so a wait allocates nothing. One thread at a time may use it.
 */
public final class FutexSet implements AutoCloseable {
    /** The kernel's limit on words per wait. */
    public static final int MAX = 128;
    /** {@link #await} result: the timeout passed. */
    public static final int TIMED_OUT = -1;
    /** {@link #await} result: a word already differed from its expected value, so there is news. */
    public static final int CHANGED = -2;

    /** struct futex_waitv { u64 val; u64 uaddr; u32 flags; u32 reserved; } */
    private static final int WAITER = 24;
    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final long CLOCK_MONOTONIC = 1;
    private static volatile Boolean supported;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment waiters;
    private final MemorySegment timeout;
    private int count;

    public FutexSet(int capacity) {
        if (capacity < 1 || capacity > MAX) {
            throw new IllegalArgumentException("a futex set holds 1 to " + MAX + " words, not " + capacity);
        }
        this.waiters = arena.allocate((long) WAITER * capacity, 8);
        this.timeout = arena.allocate(16, 8);
    }

    /** True when the kernel has futex_waitv; otherwise callers must poll with a bounded park. */
    public static boolean supported() {
        Boolean s = supported;
        if (s == null) {
            try (FutexSet probe = new FutexSet(1)) {
                // An empty wait is refused with EINVAL by a kernel that knows the call, ENOSYS by one that does not.
                long r = Libc.raw(st -> Words.call(Libc.SYSCALL, st, Libc.SYS_FUTEX_WAITV,
                        probe.waiters.address(), 0L, 0L, 0L, CLOCK_MONOTONIC));
                s = r != -38;
            }
            supported = s;
        }
        return s;
    }

    public void clear() {
        count = 0;
    }

    public int capacity() {
        return (int) (waiters.byteSize() / WAITER);
    }

    public int size() {
        return count;
    }

    /** Adds the 4-byte word at {@code address} (shared memory, not private), expected to hold {@code expected}. */
    public void add(long address, int expected) {
        if (count == capacity()) {
            throw new IllegalStateException("futex set is full");
        }
        long at = (long) count * WAITER;
        waiters.set(JAVA_LONG, at, expected & 0xFFFFFFFFL);
        waiters.set(JAVA_LONG, at + 8, address);
        waiters.set(JAVA_INT, at + 16, FUTEX2_SIZE_U32);
        waiters.set(JAVA_INT, at + 20, 0);
        count++;
    }

    /**
     * Waits until a word is woken, a word already differs ({@link #CHANGED}), or {@code timeoutNanos} pass
     * ({@link #TIMED_OUT}). Returns the index of the woken word otherwise. EINTR counts as a wake-up: the caller
     * looks at its lanes again either way.
     */
    public int await(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos; // CLOCK_MONOTONIC, what the kernel compares against
        timeout.set(JAVA_LONG, 0, deadline / 1_000_000_000L);
        timeout.set(JAVA_LONG, 8, deadline % 1_000_000_000L);
        long w = waiters.address();
        long n = count;
        long t = timeout.address();
        long r = Libc.raw(st -> Words.call(Libc.SYSCALL, st, Libc.SYS_FUTEX_WAITV, w, n, 0L, t,
                CLOCK_MONOTONIC));
        if (r >= 0) {
            return (int) r;
        }
        if (r == -Errno.ETIMEDOUT) {
            return TIMED_OUT;
        }
        if (r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return CHANGED;
        }
        throw new SyscallException("futex_waitv", count + " words", (int) -r);
    }

    @Override
    public void close() {
        arena.close();
    }
}
