package dev.atomic.system;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Reaping for a subreaper: descendants re-parented to this process are unknown to the JDK, whose own reaper only
 * waits for the children it started. Leave those to {@link java.lang.Process}: reaping one here steals its exit
 * status from the JDK.
 */
public final class Children {
    private static final int P_ALL = 0;
    private static final int WNOHANG = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    /** siginfo_t is 128 bytes on Linux; si_pid follows si_signo, si_errno, si_code and padding. */
    private static final long SIGINFO_PID_OFFSET = 16;

    private static final MethodHandle WAITID = Libc.function("waitid");
    private static final MethodHandle WAITPID = Libc.function("waitpid");

    private Children() {
    }

    /** The pid of an exited child not yet reaped, or 0 if none. Does not reap it. */
    public static long peekExited() {
        MemorySegment info = Libc.scratch();
        long r = Libc.raw(st -> (int) Words.call(WAITID, st, P_ALL, 0, info.address(), WEXITED | WNOHANG | WNOWAIT));
        if (r == -Errno.ECHILD) {
            return 0;
        }
        if (r < 0) {
            throw new SyscallException("waitid", "P_ALL", (int) -r);
        }
        return info.get(JAVA_INT, SIGINFO_PID_OFFSET);
    }

    /** Reaps {@code pid} if it has exited: true if reaped; false if it runs or is not (or no longer) our child. */
    public static boolean reap(long pid) {
        long r = Libc.raw(st -> (int) Words.call(WAITPID, st, (int) pid, 0L, WNOHANG));
        if (r == -Errno.ECHILD) {
            return false;
        }
        if (r < 0) {
            throw new SyscallException("waitpid", Long.toString(pid), (int) -r);
        }
        return r == pid;
    }
}
