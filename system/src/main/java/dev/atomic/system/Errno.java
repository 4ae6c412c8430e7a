package dev.atomic.system;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Names and texts of errno values, from glibc itself so they match what {@code strace} and {@code perror} print. */
public final class Errno {
    // The values Atomic names in code; Linux numbers them alike on x86_64 and aarch64.
    public static final int EPERM = 1;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int ETIMEDOUT = 110;

    /**
     * Made on the first error told in words, not when a class first reads a constant here: a C library older than
     * 2.32 lacks them. The _np variants are thread-safe and, unlike strerror, never format into a shared buffer.
     */
    private static final class Text {
        static final MethodHandle NAME = Libc.function("strerrorname_np");
        static final MethodHandle DESCRIBE = Libc.function("strerrordesc_np");
    }

    private Errno() {
    }

    /** The symbolic name, e.g. {@code "EPERM"}; {@code "errno 4242"} for a value glibc does not know. */
    public static String name(int errno) {
        return text(Text.NAME, errno);
    }

    /** The strerror text, e.g. {@code "Operation not permitted"}. */
    public static String describe(int errno) {
        return text(Text.DESCRIBE, errno);
    }

    @SuppressWarnings("restricted") // glibc returns a NUL-terminated constant string of unknown length
    private static String text(MethodHandle handle, int errno) {
        long s = Words.plain(st -> Words.call(handle, st, errno));
        return s == 0 ? "errno " + errno : MemorySegment.ofAddress(s).reinterpret(Long.MAX_VALUE).getString(0);
    }
}
