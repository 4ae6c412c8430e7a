package dev.atomic.system;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Bare file descriptors, for what a native library writes to or hands back as a number (libseccomp exports a
 * filter to a descriptor and returns its notification listener as one).
 */
public final class Descriptors {
    private static final int MFD_CLOEXEC = 1;
    private static final int CHUNK = 16 * 1024;

    /*
     * Each handle is made on first use (a holder class each): linking a new shape of call costs a new JVM tens of
     * milliseconds, and a component host's start, which only closes descriptors here, would pay for all three.
     */
    private static final class Memfd {
        static final MethodHandle CREATE = Libc.function("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static final class Open {
        static final MethodHandle OPEN = Libc.function("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    private static final class Pread {
        static final MethodHandle PREAD =
                Libc.function("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    private Descriptors() {
    }

    /** A new empty in-memory file (close-on-exec); {@code name} shows in {@code /proc/<pid>/fd} as {@code memfd:name}. */
    public static int memfd(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            return (int) Libc.check("memfd_create", Libc.quoted(name),
                    st -> (int) Memfd.CREATE.invokeExact(st, cName, MFD_CLOEXEC));
        }
    }

    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;

    /** open(2) without creating: a device, say, whose descriptor is passed on as a number. */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            return (int) Libc.check("open", Libc.quoted(path), st -> (int) Open.OPEN.invokeExact(st, cPath, flags, 0));
        }
    }

    /** One read(2) into {@code buffer}: the bytes read, or minus errno, for callers to whom some errnos are news. */
    public static long read(int fd, MemorySegment buffer) {
        return Libc.raw(st -> (long) Libc.Io.READ.invokeExact(st, fd, buffer, buffer.byteSize()));
    }

    /** One write(2) of {@code data}: the bytes written, or minus errno. */
    public static long write(int fd, MemorySegment data) {
        return Libc.raw(st -> (long) Libc.Io.WRITE.invokeExact(st, fd, data, data.byteSize()));
    }

    /** Everything from offset 0 to the end of a regular file, without moving its file position (pread). */
    public static byte[] readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK);
            long offset = 0;
            while (true) {
                long at = offset;
                long n = Libc.check("pread", fd, st -> (long) Pread.PREAD.invokeExact(st, fd, buffer, (long) CHUNK, at));
                if (n == 0) {
                    return out.toByteArray();
                }
                out.write(buffer.asSlice(0, n).toArray(JAVA_BYTE), 0, (int) n);
                offset += n;
            }
        }
    }

    public static void close(int fd) {
        Libc.close(fd);
    }
}
