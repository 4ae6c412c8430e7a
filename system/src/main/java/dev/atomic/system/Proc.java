package dev.atomic.system;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Ids of the calling process and thread, as the kernel sees them. Named {@code Proc}, not {@code Process}, so that
 * code using {@link java.lang.Process} can import it. The thread id is what {@link Affinity} and
 * {@code /proc/<pid>/task} use; Java's own thread ids are unrelated to it.
 */
public final class Proc {
    private static final MethodHandle GETPID = Libc.infallible("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETTID = Libc.infallible("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETPPID = Libc.infallible("getppid", FunctionDescriptor.of(JAVA_INT));

    private Proc() {
    }

    public static long pid() {
        return call(GETPID);
    }

    public static long tid() {
        return call(GETTID);
    }

    /** The parent now: after the parent died, the subreaper or init that adopted this process. */
    public static long parentPid() {
        return call(GETPPID);
    }

    private static long call(MethodHandle handle) {
        try {
            return (int) handle.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
