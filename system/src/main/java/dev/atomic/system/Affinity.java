package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Which CPUs a thread may run on: how the engine gets the cores the profile reserved for it. */
public final class Affinity {
    /** glibc's cpu_set_t: 1024 CPUs. Larger machines need a larger mask, which the kernel asks for with EINVAL. */
    private static final long DEFAULT_MASK_BYTES = 128;
    private static final long MAX_MASK_BYTES = 1 << 16;
    private static final MethodHandle SET = Libc.function("sched_setaffinity");
    private static final MethodHandle GET = Libc.function("sched_getaffinity");

    private Affinity() {
    }

    /** Restricts thread {@code tid} (0 = the calling thread) to {@code cpus}; EINVAL when none of them is online. */
    public static void set(long tid, BitSet cpus) {
        long[] words = cpus.toLongArray();
        long bytes = Math.max(DEFAULT_MASK_BYTES, words.length * (long) Long.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(bytes, Long.BYTES);
            MemorySegment.copy(words, 0, mask, JAVA_LONG, 0, words.length);
            Libc.check("sched_setaffinity", tid, st -> (int) Words.call(SET, st, (int) tid, bytes, mask.address()));
        }
    }

    public static BitSet get(long tid) {
        for (long bytes = DEFAULT_MASK_BYTES; ; bytes *= 2) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment mask = arena.allocate(bytes, Long.BYTES);
                long size = bytes;
                long r = Libc.raw(st -> (int) Words.call(GET, st, (int) tid, size, mask.address()));
                if (r == 0) {
                    return BitSet.valueOf(mask.toArray(JAVA_LONG));
                }
                if (r != -Errno.EINVAL || bytes >= MAX_MASK_BYTES) {
                    throw new SyscallException("sched_getaffinity", Long.toString(tid), (int) -r);
                }
            }
        }
    }
}
