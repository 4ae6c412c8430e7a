package dev.atomic.system;

import java.time.Duration;

/**
 * A descriptor for one process (pidfd_open). Unlike a pid it cannot be recycled: signals sent through it reach
 * that process or fail with ESRCH, never a newcomer that inherited the number. It becomes readable when the
 * process exits, so exits are noticed with {@link Poll} instead of polling /proc, and for any process the caller
 * may signal, not only its children.
 */
public final class PidFd implements AutoCloseable {
    private final long pid;
    private final int fd;
    private boolean closed;

    private PidFd(long pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    /** Fails with ESRCH when no such process exists (already reaped). The fd is close-on-exec. */
    public static PidFd open(long pid) {
        int fd = (int) Libc.check("pidfd_open", pid,
                st -> Words.call(Libc.SYSCALL, st, Libc.SYS_PIDFD_OPEN, pid, 0L, 0L, 0L));
        return new PidFd(pid, fd);
    }

    public long pid() {
        return pid;
    }

    public int fd() {
        return fd;
    }

    public boolean hasExited() {
        return Poll.poll(new int[] {fd}, 0, new boolean[1]) > 0;
    }

    /** True once the process has exited (it may still be a zombie), false when the timeout passed first. */
    public boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int[] fds = {fd};
        boolean[] ready = new boolean[1];
        while (true) {
            long left = deadline - System.nanoTime();
            int millis = Math.clamp(Math.ceilDiv(left, 1_000_000L), 0, Integer.MAX_VALUE);
            // Poll returns 0 on EINTR too, so only the clock says whether the timeout really passed.
            if (Poll.poll(fds, millis, ready) > 0) {
                return true;
            }
            if (left <= 0) {
                return false;
            }
        }
    }

    /** Signals exactly this process; ESRCH once it has exited. */
    public void sendSignal(int signal) {
        Libc.check("pidfd_send_signal", pid, st -> Words.call(Libc.SYSCALL, st, Libc.SYS_PIDFD_SEND_SIGNAL,
                (long) fd, (long) signal, 0L, 0L));
    }

    /**
     * A copy, in this process, of the target's descriptor {@code targetFd} (pidfd_getfd, Linux 5.6+; close-on-exec):
     * the same open file, as if passed over a Unix socket, without the target's help. Needs ptrace access to the
     * target (same user, or CAP_SYS_PTRACE); EBADF when it has no such descriptor.
     */
    public int takeFd(int targetFd) {
        return (int) Libc.check("pidfd_getfd", pid + ", " + targetFd, st -> Words.call(Libc.SYSCALL, st,
                Libc.SYS_PIDFD_GETFD, (long) fd, (long) targetFd, 0L, 0L));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
