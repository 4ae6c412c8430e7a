package dev.atomic.system;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** mlock / munlock: keeps memory the engine depends on resident, so it never stalls on a page fault to swap. */
public final class MemoryLock {
    private static final MethodHandle MLOCK =
            Libc.function("mlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MUNLOCK =
            Libc.function("munlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    private MemoryLock() {
    }

    /** Fails with EPERM or ENOMEM when RLIMIT_MEMLOCK (ulimit -l) is too small and the caller lacks CAP_IPC_LOCK. */
    public static void lock(MemorySegment s) {
        long length = s.byteSize();
        Libc.check("mlock", length, st -> (int) MLOCK.invokeExact(st, s, length));
    }

    public static void unlock(MemorySegment s) {
        long length = s.byteSize();
        Libc.check("munlock", length, st -> (int) MUNLOCK.invokeExact(st, s, length));
    }
}
