package dev.atomic.system;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A kernel counter that one side adds to and the other blocks on: a doorbell that also works with {@link Poll},
 * and that a child process inherits or receives over a Unix socket.
 * <p>
 * {@link #await()} blocks its thread in native code (a virtual thread pins its carrier), and closing the fd does
 * not wake it: stop a waiter by signalling it.
 */
public final class EventFd implements AutoCloseable {
    private static final int EFD_CLOEXEC = 0x80000;
    private static final MethodHandle EVENTFD = Libc.function("eventfd");

    private final int fd;
    private boolean closed;

    private EventFd(int fd) {
        this.fd = fd;
    }

    public static EventFd create() {
        return new EventFd((int) Libc.check("eventfd", "0, EFD_CLOEXEC",
                st -> (int) Words.call(EVENTFD, st, 0, EFD_CLOEXEC)));
    }

    public int fd() {
        return fd;
    }

    /** Adds {@code n} (positive) to the counter, waking a waiter. */
    public void signal(long n) {
        MemorySegment value = Libc.scratch();
        value.set(JAVA_LONG, 0, n);
        Libc.check("write", fd, st -> Words.call(Libc.Io.WRITE, st, fd, value.address(), 8L));
    }

    /** Blocks until the counter is non-zero, then returns it and resets it to zero. */
    public long await() {
        MemorySegment value = Libc.scratch();
        long r;
        // The JVM's own signals restart reads, but a handler installed without SA_RESTART must not look like a failure.
        do {
            r = Libc.raw(st -> Words.call(Libc.Io.READ, st, fd, value.address(), 8L));
        } while (r == -Errno.EINTR);
        if (r < 0) {
            throw new SyscallException("read", Integer.toString(fd), (int) -r);
        }
        return value.get(JAVA_LONG, 0);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
