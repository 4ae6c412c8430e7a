package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** poll(2) over descriptors that only need "readable?": eventfds, pidfds, pipes, sockets. */
public final class Poll {
    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    private static final short POLLNVAL = 0x20;
    /** struct pollfd { int fd; short events; short revents; } */
    private static final long POLLFD_BYTES = 8;
    private static final MethodHandle POLL = Libc.function("poll");

    private Poll() {
    }

    /**
     * Waits until at least one fd is readable (POLLIN/POLLHUP/POLLERR) or the timeout; marks ready[i]; returns how
     * many are ready; 0 on timeout or EINTR. A negative timeout waits forever. A descriptor that is not open is a
     * caller bug (it would never become ready) and throws IllegalArgumentException.
     */
    public static int poll(int[] fds, int timeoutMillis, boolean[] ready) {
        if (ready.length < fds.length) {
            throw new IllegalArgumentException("ready has " + ready.length + " slots for " + fds.length + " fds");
        }
        short[] revents = revents(fds, timeoutMillis);
        int readyCount = 0;
        for (int i = 0; i < fds.length; i++) {
            ready[i] = (revents[i] & (POLLIN | POLLHUP | POLLERR)) != 0;
            readyCount += ready[i] ? 1 : 0;
        }
        return readyCount;
    }

    /**
     * Waits like {@link #poll(int[], int, boolean[])} for one fd and returns what happened to it: a mask of
     * {@link #POLLIN}, {@link #POLLHUP}, {@link #POLLERR}; 0 on timeout or EINTR. For descriptors where a hang-up
     * means something else than data (a seccomp listener whose processes are all gone).
     */
    public static int revents(int fd, int timeoutMillis) {
        return revents(new int[] {fd}, timeoutMillis)[0];
    }

    private static short[] revents(int[] fds, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(POLLFD_BYTES * Math.max(1, fds.length), 4);
            for (int i = 0; i < fds.length; i++) {
                pollfds.set(JAVA_INT, i * POLLFD_BYTES, fds[i]);
                pollfds.set(JAVA_SHORT, i * POLLFD_BYTES + 4, POLLIN);
            }
            long count = fds.length;
            long r = Libc.raw(st -> (int) Words.call(POLL, st, pollfds.address(), count, timeoutMillis));
            if (r < 0 && r != -Errno.EINTR) {
                throw new SyscallException("poll", fds.length + " fds", (int) -r);
            }
            // After EINTR every revents is still the zero the arena allocated, so nothing is marked.
            short[] revents = new short[fds.length];
            for (int i = 0; i < fds.length; i++) {
                revents[i] = pollfds.get(JAVA_SHORT, i * POLLFD_BYTES + 6);
                if ((revents[i] & POLLNVAL) != 0) {
                    throw new IllegalArgumentException("poll: fd " + fds[i] + " is not open");
                }
            }
            return revents;
        }
    }
}
