package dev.atomic.system;

import java.lang.invoke.MethodHandle;

/**
 * Ids of the calling process and thread, as the kernel sees them. Named {@code Proc}, not {@code Process}, so that
 * code using {@link java.lang.Process} can import it. The thread id is what {@link Affinity} and
 * {@code /proc/<pid>/task} use; Java's own thread ids are unrelated to it.
 */
public final class Proc {
    /** Made on first use: {@link #parentPid}, a component host's first question, needs none of them. */
    private static final class Handles {
        static final MethodHandle GETPID = Libc.function("getpid");
        static final MethodHandle GETTID = Libc.function("gettid");
    }

    private Proc() {
    }

    public static long pid() {
        return call(Handles.GETPID);
    }

    public static long tid() {
        return call(Handles.GETTID);
    }

    /**
     * The parent now: after the parent died, the subreaper or init that adopted this process; 0 when it lies outside
     * this process's pid namespace (a sandbox's). Asked of the JDK, which reads it from /proc: no native call of ours
     * to link, in a new JVM milliseconds.
     */
    public static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
    }

    private static long call(MethodHandle handle) {
        return (int) Words.plain(st -> Words.call(handle, st));
    }
}
