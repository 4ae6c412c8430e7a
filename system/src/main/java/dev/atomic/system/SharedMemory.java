package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Memory shared between processes: an anonymous memfd mapped {@code MAP_SHARED}. Another process maps the same
 * pages by opening {@link #procPath()}, so nothing appears in a file system and the memory dies with its last user.
 */
public final class SharedMemory implements AutoCloseable {
    private static final int MFD_CLOEXEC = 1;
    private static final int MFD_ALLOW_SEALING = 2;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_GET_SEALS = 1034;
    private static final int F_SEAL_SHRINK = 2;
    private static final int F_SEAL_GROW = 4;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SEEK_END = 2;
    private static final int PROT_READ_WRITE = 1 | 2;
    private static final int MAP_SHARED = 1;

    /**
     * The native calls of a mapping made here, made on first use: {@link #open} maps through the JDK (a new JVM,
     * a component host starting, links each new shape of native call for milliseconds), and comes here only to say
     * why a region could not be opened.
     */
    private static final class Mapping {
        static final MethodHandle OPEN = Libc.function("open");
        static final MethodHandle LSEEK = Libc.function("lseek");
        static final MethodHandle MMAP = Libc.function("mmap");
    }

    /**
     * What only the creator of a region calls, made on first use: a component host, which maps the regions it
     * inherits, does not pay tens of milliseconds of its start to link calls it never makes.
     */
    private static final class Creating {
        static final MethodHandle MEMFD_CREATE = Libc.function("memfd_create");
        static final MethodHandle FTRUNCATE = Libc.function("ftruncate");
        /** {@code int fcntl(int fd, int cmd, ...)} with one int argument. */
        static final MethodHandle FCNTL = Libc.function("fcntl");
    }

    /** Made when a region is first unmapped, not on the way to its first use. */
    private static final class Unmapping {
        static final MethodHandle MUNMAP = Libc.function("munmap");
    }

    private final int fd;
    private final long size;
    // A shared arena: the segment is usable from any thread, and closing the arena unmaps the memory and makes
    // later access throw instead of touching unmapped pages.
    private final Arena arena;
    private final MemorySegment segment;
    private boolean closed;

    @SuppressWarnings("restricted") // the address and size are those mmap just returned
    private SharedMemory(int fd, int mappedFd, long size) {
        long address = Libc.check("mmap", size, st -> Words.call(Mapping.MMAP, st, 0L, size,
                PROT_READ_WRITE, MAP_SHARED, mappedFd, 0L));
        this.fd = fd;
        this.size = size;
        this.arena = Arena.ofShared();
        this.segment = MemorySegment.ofAddress(address).reinterpret(size, arena,
                s -> Libc.check("munmap", size, st -> (int) Words.call(Unmapping.MUNMAP, st, s.address(), size)));
    }

    /** A region the JDK mapped into {@code arena}: closing the arena unmaps it. */
    private SharedMemory(Arena arena, MemorySegment segment) {
        this.fd = -1;
        this.size = segment.byteSize();
        this.arena = arena;
        this.segment = segment;
    }

    /** A new zero-filled region; {@code name} shows in {@code /proc/<pid>/fd} as {@code memfd:name}. */
    public static SharedMemory create(String name, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        int fd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cName = a.allocateFrom(name);
            fd = (int) Libc.check("memfd_create", Libc.quoted(name),
                    st -> (int) Words.call(Creating.MEMFD_CREATE, st, cName.address(),
                            MFD_CLOEXEC | MFD_ALLOW_SEALING));
        }
        try {
            Libc.check("ftruncate", size, st -> (int) Words.call(Creating.FTRUNCATE, st, fd, size));
            // Sealed at its size: whoever else opens it can never shrink it under a peer's mapping (SIGBUS).
            Libc.check("fcntl", "F_ADD_SEALS", st -> (int) Words.call(Creating.FCNTL, st, fd, F_ADD_SEALS,
                    F_SEAL_SHRINK | F_SEAL_GROW));
            return new SharedMemory(fd, fd, size);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Maps the region behind {@code path}, typically another process's {@link #procPath()}, through the JDK's own
     * file channel: a component host maps its lanes first thing, and no native call is linked for it. The descriptor
     * is closed once mapped: the mapping alone keeps the memory alive.
     */
    public static SharedMemory open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return openNatively(path); // throws, naming the call and its errno (or maps it, if it can now)
        }
        try (channel) {
            long size = channel.size();
            if (size == 0) {
                throw new IllegalArgumentException(path + " is empty: nothing to map");
            }
            Arena arena = Arena.ofShared();
            try {
                return new SharedMemory(arena, channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena));
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not map " + path + ": " + e.getMessage(), e);
        }
    }

    private static SharedMemory openNatively(Path path) {
        String quotedPath = Libc.quoted(path.toString());
        int fd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cPath = a.allocateFrom(path.toString());
            fd = (int) Libc.check("open", quotedPath, st -> (int) Words.call(Mapping.OPEN, st, cPath.address(),
                    O_RDWR | O_CLOEXEC));
        }
        try {
            // lseek to the end gives the size as fstat would, without depending on the arch's struct stat layout.
            long size = Libc.check("lseek", quotedPath, st -> Words.call(Mapping.LSEEK, st, fd, 0L, SEEK_END));
            if (size == 0) {
                throw new IllegalArgumentException(path + " is empty: nothing to map");
            }
            return new SharedMemory(-1, fd, size);
        } finally {
            Libc.close(fd);
        }
    }

    /** The whole mapping; usable from any thread until {@link #close()}, after which access throws. */
    public MemorySegment segment() {
        return segment;
    }

    /** True when the memory's size is sealed: nobody, here or in another process, can resize it. */
    public boolean sizeSealed() {
        if (fd < 0) {
            throw new IllegalStateException("a region mapped by open(path) has no descriptor to ask");
        }
        int seals = (int) Libc.check("fcntl", "F_GET_SEALS",
                st -> (int) Words.call(Creating.FCNTL, st, fd, F_GET_SEALS, 0));
        return (seals & (F_SEAL_SHRINK | F_SEAL_GROW)) == (F_SEAL_SHRINK | F_SEAL_GROW);
    }

    public long size() {
        return size;
    }

    /** The memfd of a region this process created; -1 for one mapped by {@link #open(Path)}. */
    public int fd() {
        return fd;
    }

    /** Where another process can {@link #open(Path)} this region while this one keeps it open. */
    public Path procPath() {
        if (fd < 0) {
            throw new IllegalStateException("a region mapped by open(path) has no descriptor to share");
        }
        return Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd", Integer.toString(fd));
    }

    /** Keeps the pages in RAM (mlock), so a bridge never waits on swap. */
    public void lock() {
        MemoryLock.lock(segment);
    }

    /** Unmaps and closes the descriptor; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            arena.close();
        } finally {
            if (fd >= 0) {
                Libc.close(fd);
            }
        }
    }
}
