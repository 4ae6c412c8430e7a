package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A fanotify group that holds every open of chosen files until someone answers (fanotify(7), permission events).
 * The opener waits in the kernel, after the usual permission checks passed, until a reader of the group allows or
 * denies; a denied open fails with EPERM. The group lives while any process holds a descriptor of it, so a reader can
 * die and another, given a copy, carries on; events the dead reader had read but not answered wait until the group
 * is gone.
 * <p>
 * Needs CAP_SYS_ADMIN in the initial user namespace and a kernel with {@code CONFIG_FANOTIFY_ACCESS_PERMISSIONS}.
 */
public final class Fanotify implements AutoCloseable {
    private static final int FAN_CLOEXEC = 0x1;
    private static final int FAN_CLASS_CONTENT = 0x4;
    private static final int FAN_MARK_ADD = 0x1;
    private static final long FAN_OPEN_PERM = 0x10000;
    private static final long FAN_ONDIR = 0x40000000;
    private static final int FAN_ALLOW = 0x1;
    private static final int FAN_DENY = 0x2;
    private static final int AT_FDCWD = -100;
    private static final int O_RDONLY = 0;
    /** struct fanotify_event_metadata: event_len u32, vers u8, reserved u8, metadata_len u16, mask u64, fd s32, pid s32. */
    private static final int METADATA_BYTES = 24;
    private static final int BUFFER_BYTES = 64 * METADATA_BYTES;
    private static final int POLL_MILLIS = 100;

    private static final MethodHandle INIT = Libc.function("fanotify_init");
    private static final MethodHandle MARK = Libc.function("fanotify_mark");

    /**
     * An open held for a decision: who opens, and a descriptor of the file (closed once answered). Its path, as
     * {@code /proc/self/fd} shows it, is the opener's, from the opener's mount namespace: know the file by its inode.
     */
    public record Open(long pid, int fd) {
    }

    /** Decides each open: true allows it. */
    @FunctionalInterface
    public interface Decider {
        boolean allow(Open open);
    }

    private final int fd;
    private volatile boolean stopping;
    /** Guarded by this: a thread is in {@link #serve}, which then closes the descriptor when it leaves. */
    private boolean serving;
    private boolean closed;

    private Fanotify(int fd) {
        this.fd = fd;
    }

    /** A new group for permission events on file contents. */
    public static Fanotify create() {
        return new Fanotify((int) Libc.check("fanotify_init", "FAN_CLASS_CONTENT", st ->
                (int) Words.call(INIT, st, FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY)));
    }

    /** A group whose descriptor this process already holds (a copy taken from another process). */
    public static Fanotify of(int fd) {
        return new Fanotify(fd);
    }

    public int fd() {
        return fd;
    }

    /** Holds every open of {@code path} (a file, or a directory itself) for a decision. */
    public void watch(Path path) {
        long mask = FAN_OPEN_PERM | (Files.isDirectory(path) ? FAN_ONDIR : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            Libc.check("fanotify_mark", Libc.quoted(path.toString()), st ->
                    (int) Words.call(MARK, st, fd, FAN_MARK_ADD, mask, AT_FDCWD, name.address()));
        }
    }

    /**
     * Reads held opens and answers each with the decider's verdict until {@link #stop()}; the decider runs on this
     * thread, and the opener waits for it. Returns how many opens were answered.
     */
    public long serve(Decider decider) {
        synchronized (this) {
            if (closed) {
                return 0;
            }
            serving = true;
        }
        try {
            return answer(decider);
        } finally {
            synchronized (this) {
                serving = false;
                if (stopping) {
                    closeFd();
                }
            }
        }
    }

    private long answer(Decider decider) {
        long answered = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
            MemorySegment response = arena.allocate(8, 4);
            while (!stopping) {
                if ((Poll.revents(fd, POLL_MILLIS) & Poll.POLLIN) == 0) {
                    continue;
                }
                long n = Libc.raw(st -> Words.call(Libc.Io.READ, st, fd, buffer.address(), BUFFER_BYTES));
                if (n == -Errno.EINTR || n == -Errno.EAGAIN) {
                    continue;
                }
                if (n < 0) {
                    throw new SyscallException("read", "fanotify " + fd, (int) -n);
                }
                for (long at = 0; at + METADATA_BYTES <= n; ) {
                    int length = buffer.get(JAVA_INT, at);
                    int eventFd = buffer.get(JAVA_INT, at + 16);
                    int pid = buffer.get(JAVA_INT, at + 20);
                    if (length < METADATA_BYTES || buffer.get(JAVA_BYTE, at + 4) == 0) {
                        throw new IllegalStateException("malformed fanotify event of " + length + " bytes");
                    }
                    if (eventFd >= 0) {
                        boolean allow;
                        try {
                            allow = decider.allow(new Open(pid, eventFd));
                        } catch (RuntimeException e) {
                            allow = false; // a decider that fails denies: the file is a decoy either way
                        }
                        response.set(JAVA_INT, 0, eventFd);
                        response.set(JAVA_INT, 4, allow ? FAN_ALLOW : FAN_DENY);
                        Libc.raw(st -> Words.call(Libc.Io.WRITE, st, fd, response.address(), 8L));
                        Descriptors.close(eventFd);
                        answered++;
                    }
                    at += length;
                }
            }
        }
        return answered;
    }

    /** Asks a {@link #serve} loop to return, within about 100 ms. */
    public void stop() {
        stopping = true;
    }

    /**
     * Stops serving and closes the group: at once, or, while a thread serves it, when that thread leaves its poll
     * (within {@value #POLL_MILLIS} ms), so that it never polls a closed descriptor (or a reused one).
     */
    @Override
    public synchronized void close() {
        stopping = true;
        if (!serving) {
            closeFd();
        }
    }

    private void closeFd() {
        if (!closed) {
            closed = true;
            Descriptors.close(fd);
        }
    }
}
