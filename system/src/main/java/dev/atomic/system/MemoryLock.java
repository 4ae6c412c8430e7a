package dev.atomic.system;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** mlock / munlock: keeps memory the engine depends on resident, so it never stalls on a page fault to swap. */
public final class MemoryLock {
    private static final MethodHandle MLOCK = Libc.function("mlock");
    private static final MethodHandle MUNLOCK = Libc.function("munlock");

    private MemoryLock() {
    }

    /** Fails with EPERM or ENOMEM when RLIMIT_MEMLOCK (ulimit -l) is too small and the caller lacks CAP_IPC_LOCK. */
    public static void lock(MemorySegment s) {
        long length = s.byteSize();
        Libc.check("mlock", length, st -> (int) Words.call(MLOCK, st, s.address(), length));
    }

    public static void unlock(MemorySegment s) {
        long length = s.byteSize();
        Libc.check("munlock", length, st -> (int) Words.call(MUNLOCK, st, s.address(), length));
    }
}
