package dev.atomic.system;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Sleep and wake on a 4-byte word in shared memory: the cheapest cross-process wait there is. The operations are
 * the shared (not PRIVATE) ones, because the waiter and the waker are usually in different processes.
 * <p>
 * The word's address is passed as a number, not as a segment, so a waiter blocked here never holds the segment's
 * arena open: another thread may close the region meanwhile, and a call on an unmapped word fails with EFAULT.
 */
public final class Futex {
    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAKE = 1;

    private Futex() {
    }

    /**
     * FUTEX_WAIT on the word at {@code offset}: false on timeout; true when woken (or spuriously) or when the word no
     * longer equals {@code expected}. Retries EINTR. {@code timeoutNanos <= 0} waits forever.
     */
    public static boolean await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
        long address = wordAddress(segment, offset);
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long timespec = 0;
            if (timeoutNanos > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                MemorySegment ts = Libc.scratch();
                ts.set(JAVA_LONG, 0, left / 1_000_000_000L);
                ts.set(JAVA_LONG, 8, left % 1_000_000_000L);
                timespec = ts.address();
            }
            long relative = timespec;
            long r = Libc.raw(st -> Words.call(Libc.SYSCALL, st, Libc.SYS_FUTEX, address, FUTEX_WAIT,
                    (long) expected, relative));
            if (r >= 0 || r == -Errno.EAGAIN) {
                return true;
            }
            if (r == -Errno.ETIMEDOUT) {
                return false;
            }
            if (r != -Errno.EINTR) {
                throw new SyscallException("futex", "FUTEX_WAIT", (int) -r);
            }
        }
    }

    /** FUTEX_WAKE: wakes up to {@code count} waiters on the word; returns how many woke. */
    public static int wake(MemorySegment segment, long offset, int count) {
        long address = wordAddress(segment, offset);
        return (int) Libc.check("futex", "FUTEX_WAKE", st -> Words.call(Libc.SYSCALL, st, Libc.SYS_FUTEX,
                address, FUTEX_WAKE, (long) count, 0L));
    }

    private static long wordAddress(MemorySegment segment, long offset) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a futex word must be in native memory: " + segment);
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("already closed: " + segment);
        }
        Objects.checkFromIndexSize(offset, Integer.BYTES, segment.byteSize());
        long address = segment.address() + offset;
        if (address % Integer.BYTES != 0) {
            throw new IllegalArgumentException("a futex word must be 4-byte aligned: offset " + offset);
        }
        return address;
    }
}
