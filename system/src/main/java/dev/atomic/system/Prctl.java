package dev.atomic.system;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** The process attributes a supervisor needs from prctl(2). */
public final class Prctl {
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_GET_PDEATHSIG = 2;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int PR_GET_CHILD_SUBREAPER = 37;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_GET_NO_NEW_PRIVS = 39;
    /** int prctl(int option, ...): glibc reads four unsigned longs after the option. */
    private static final MethodHandle PRCTL = Libc.function("prctl");

    private Prctl() {
    }

    /** Orphaned descendants are re-parented to this process instead of init, so it can reap and account for them. */
    public static void setChildSubreaper(boolean on) {
        prctl("PR_SET_CHILD_SUBREAPER", PR_SET_CHILD_SUBREAPER, on ? 1 : 0);
    }

    public static boolean isChildSubreaper() {
        return getInt("PR_GET_CHILD_SUBREAPER", PR_GET_CHILD_SUBREAPER) != 0;
    }

    /** Irreversible for this process and all it starts: execve can no longer grant privileges (setuid, file caps). */
    public static void setNoNewPrivs() {
        if (!noNewPrivsSaysProc()) { // set already in every sandbox: no prctl linked for it in a host's start
            prctl("PR_SET_NO_NEW_PRIVS", PR_SET_NO_NEW_PRIVS, 1);
        }
    }

    private static boolean noNewPrivsSaysProc() {
        try {
            String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"));
            int at = status.indexOf("NoNewPrivs:");
            int end = at < 0 ? -1 : status.indexOf('\n', at);
            return end > 0 && status.substring(at + "NoNewPrivs:".length(), end).strip().equals("1");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    public static boolean noNewPrivs() {
        return prctl("PR_GET_NO_NEW_PRIVS", PR_GET_NO_NEW_PRIVS, 0) != 0;
    }

    /**
     * The signal this process gets when its parent dies; 0 clears it. The kernel ties it to the parent *thread*
     * that created this process, and clears it on fork and on a setuid exec.
     */
    public static void setParentDeathSignal(int signal) {
        prctl("PR_SET_PDEATHSIG", PR_SET_PDEATHSIG, signal);
    }

    public static int parentDeathSignal() {
        return getInt("PR_GET_PDEATHSIG", PR_GET_PDEATHSIG);
    }

    private static int prctl(String name, int option, long arg) {
        return (int) Libc.check("prctl", name, st -> (int) Words.call(PRCTL, st, option, arg, 0L, 0L, 0L));
    }

    /** The PR_GET_* options that write their answer into an int. */
    private static int getInt(String name, int option) {
        MemorySegment out = Libc.scratch();
        prctl(name, option, out.address());
        return out.get(JAVA_INT, 0);
    }
}
