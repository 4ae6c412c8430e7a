package dev.atomic.system;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

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
        static final MethodHandle CREATE = Libc.function("memfd_create");
    }

    private static final class Open {
        static final MethodHandle OPEN = Libc.function("open");
    }

    private static final class Pread {
        static final MethodHandle PREAD = Libc.function("pread");
    }

    private Descriptors() {
    }

    /** A new empty in-memory file (close-on-exec); {@code name} shows in {@code /proc/<pid>/fd} as {@code memfd:name}. */
    public static int memfd(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            return (int) Libc.check("memfd_create", Libc.quoted(name),
                    st -> (int) Words.call(Memfd.CREATE, st, cName.address(), MFD_CLOEXEC));
        }
    }

    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;

    /** open(2) without creating: a device, say, whose descriptor is passed on as a number. */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            return (int) Libc.check("open", Libc.quoted(path),
                    st -> (int) Words.call(Open.OPEN, st, cPath.address(), flags, 0));
        }
    }

    /** One read(2) into {@code buffer}: the bytes read, or minus errno, for callers to whom some errnos are news. */
    public static long read(int fd, MemorySegment buffer) {
        return Libc.raw(st -> Words.call(Libc.Io.READ, st, fd, buffer.address(), buffer.byteSize()));
    }

    /** One write(2) of {@code data}: the bytes written, or minus errno. */
    public static long write(int fd, MemorySegment data) {
        return Libc.raw(st -> Words.call(Libc.Io.WRITE, st, fd, data.address(), data.byteSize()));
    }

    /** Everything from offset 0 to the end of a regular file, without moving its file position (pread). */
    public static byte[] readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(CHUNK);
            long offset = 0;
            while (true) {
                long at = offset;
                long n = Libc.check("pread", fd, st -> Words.call(Pread.PREAD, st, fd, buffer.address(), CHUNK, at));
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
