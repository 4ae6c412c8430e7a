package dev.atomic.system;

import java.lang.invoke.MethodHandle;

/** Signal numbers (the same on x86_64 and aarch64) and kill(2) by pid. Prefer {@link PidFd} for a process you track. */
public final class Signals {
    public static final int SIGINT = 2;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;

    private static final MethodHandle KILL = Libc.function("kill");

    private Signals() {
    }

    /** Sends {@code signal} to {@code pid}; false when there is no such process (ESRCH). */
    public static boolean kill(long pid, int signal) {
        if (pid <= 0) {
            // kill(0) and kill(-n) signal whole process groups: never what a caller holding a pid meant.
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        long r = Libc.raw(st -> (int) Words.call(KILL, st, (int) pid, signal));
        if (r == -Errno.ESRCH) {
            return false;
        }
        if (r < 0) {
            throw new SyscallException("kill", Long.toString(pid), (int) -r);
        }
        return true;
    }
}
