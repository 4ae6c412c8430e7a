package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A robust, process-shared mutex in shared memory (the C library's {@code pthread_mutex_t} with
 * {@code PTHREAD_MUTEX_ROBUST} and {@code PTHREAD_PROCESS_SHARED}). One thread of one process holds it. When that
 * thread dies — a SIGKILL included — the kernel itself releases it, as the thread exits and before the rest of its
 * process is torn down, and wakes one waiter, which learns that the owner died: the fastest death notice Linux gives
 * another process (a parent's {@code waitpid} or a pidfd hears only once the whole process is gone).
 */
public final class RobustMutex {
    /** Room for a {@code pthread_mutex_t} on every architecture Atomic runs on (40 bytes on x86-64, 48 on arm64). */
    public static final int LENGTH = 64;
    private static final int PTHREAD_PROCESS_SHARED = 1;
    private static final int PTHREAD_MUTEX_ROBUST = 1;
    private static final int EOWNERDEAD = 130;
    private static final int EBUSY = 16;
    /** The kernel's robust-futex bits in the mutex's lock word (linux/futex.h). */
    private static final int FUTEX_WAITERS = 0x8000_0000;
    private static final int FUTEX_OWNER_DIED = 0x4000_0000;
    private static final int FUTEX_TID_MASK = 0x3fff_ffff;
    private static final VarHandle WORD = JAVA_INT.varHandle();

    /** How a lock was obtained. */
    public enum Acquired {
        /** Released by its owner, or never held. */
        FREE,
        /** Its owner died holding it; the caller owns it now (already marked consistent). */
        OWNER_DIED
    }

    private RobustMutex() {
    }

    /**
     * The handles a holder needs, linked on first use: a C library without robust mutexes leaves {@link #supported}
     * false.
     */
    private static final class Calls {
        static final MethodHandle LOCK = Libc.function("pthread_mutex_lock");
        static final MethodHandle TRYLOCK = Libc.function("pthread_mutex_trylock");
        static final MethodHandle UNLOCK = Libc.function("pthread_mutex_unlock");
        static final MethodHandle CONSISTENT = Libc.function("pthread_mutex_consistent");
    }

    /** The handles that lay a mutex out: only whoever formats the memory links them. */
    private static final class Setup {
        static final MethodHandle ATTR_INIT = Libc.function("pthread_mutexattr_init");
        static final MethodHandle ATTR_SETPSHARED = Libc.function("pthread_mutexattr_setpshared");
        static final MethodHandle ATTR_SETROBUST = Libc.function("pthread_mutexattr_setrobust");
        static final MethodHandle INIT = Libc.function("pthread_mutex_init");
    }

    /** Whether this C library has process-shared robust mutexes. */
    public static boolean supported() {
        try {
            return Calls.CONSISTENT != null;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Lays out a fresh, unlocked mutex at {@code offset}; before any process uses it. */
    public static void init(MemorySegment segment, long offset) {
        MemorySegment mutex = at(segment, offset);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(LENGTH, 8); // pthread_mutexattr_t is 4 bytes; room to spare
            long a = attr.address();
            check("pthread_mutexattr_init", (int) Words.plain(st -> Words.call(Setup.ATTR_INIT, st, a)));
            check("pthread_mutexattr_setpshared", (int) Words.plain(st -> Words.call(Setup.ATTR_SETPSHARED, st, a,
                    PTHREAD_PROCESS_SHARED)));
            check("pthread_mutexattr_setrobust", (int) Words.plain(st -> Words.call(Setup.ATTR_SETROBUST, st, a,
                    PTHREAD_MUTEX_ROBUST)));
            check("pthread_mutex_init", (int) Words.plain(st -> Words.call(Setup.INIT, st, mutex.address(), a)));
        }
    }

    /** Blocks until the calling thread holds the mutex; says whether the previous owner died holding it. */
    public static Acquired lock(MemorySegment segment, long offset) {
        MemorySegment mutex = at(segment, offset);
        int r = (int) Words.plain(st -> Words.call(Calls.LOCK, st, mutex.address()));
        if (r == EOWNERDEAD) {
            check("pthread_mutex_consistent", (int) Words.plain(st -> Words.call(Calls.CONSISTENT, st,
                    mutex.address())));
            return Acquired.OWNER_DIED;
        }
        check("pthread_mutex_lock", r);
        return Acquired.FREE;
    }

    /**
     * Takes the mutex if nobody holds it, without blocking: null when it is held. For a holder that must not wait on
     * memory another process can write (a component its own lane segment).
     */
    public static Acquired tryLock(MemorySegment segment, long offset) {
        MemorySegment mutex = at(segment, offset);
        int r = (int) Words.plain(st -> Words.call(Calls.TRYLOCK, st, mutex.address()));
        if (r == EBUSY) {
            return null;
        }
        if (r == EOWNERDEAD) {
            check("pthread_mutex_consistent", (int) Words.plain(st -> Words.call(Calls.CONSISTENT, st,
                    mutex.address())));
            return Acquired.OWNER_DIED;
        }
        check("pthread_mutex_trylock", r);
        return Acquired.FREE;
    }

    // A watcher that never locks: it must not block on a mutex another process can write. It reads the lock word
    // (the C library's first field, on every Linux ABI) and sleeps on it as a futex, as a blocked locker would.

    /** The address of the mutex's lock word, a futex. */
    public static long wordAddress(MemorySegment segment, long offset) {
        checked(segment, offset);
        return segment.address() + offset;
    }

    /** The lock word as it stands. */
    public static int word(MemorySegment segment, long offset) {
        checked(segment, offset);
        return (int) WORD.getVolatile(segment, offset);
    }

    /** Whether a lock word says that a live thread holds the mutex. */
    public static boolean held(int word) {
        return (word & FUTEX_TID_MASK) != 0 && (word & FUTEX_OWNER_DIED) == 0;
    }

    /**
     * Has the kernel wake a futex waiter on the lock word when the holder dies (or unlocks): sets the word's waiters
     * bit, as a blocked locker does, for the kernel wakes a dead holder's waiters only when it is set. Returns the
     * word as it then stands: what a waiter sleeps on, {@link #held} false when nobody holds the mutex.
     */
    public static int watch(MemorySegment segment, long offset) {
        checked(segment, offset);
        for (; ; ) {
            int word = (int) WORD.getVolatile(segment, offset);
            if (!held(word) || (word & FUTEX_WAITERS) != 0
                    || WORD.compareAndSet(segment, offset, word, word | FUTEX_WAITERS)) {
                return held(word) ? word | FUTEX_WAITERS : word;
            }
        }
    }

    /** Releases a mutex the calling thread holds. */
    public static void unlock(MemorySegment segment, long offset) {
        MemorySegment mutex = at(segment, offset);
        check("pthread_mutex_unlock", (int) Words.plain(st -> Words.call(Calls.UNLOCK, st, mutex.address())));
    }

    /** pthread functions return the error number rather than setting errno. */
    private static void check(String name, int result) {
        if (result != 0) {
            throw new SyscallException(name, "robust mutex", result);
        }
    }

    private static MemorySegment at(MemorySegment segment, long offset) {
        checked(segment, offset);
        return segment.asSlice(offset, LENGTH);
    }

    /** Allocates nothing: a watcher reads the word on every turn of its loop. */
    private static void checked(MemorySegment segment, long offset) {
        Objects.checkFromIndexSize(offset, LENGTH, segment.byteSize());
        if ((segment.address() + offset) % 8 != 0) {
            throw new IllegalArgumentException("a mutex must be 8-byte aligned: offset " + offset);
        }
    }
}
