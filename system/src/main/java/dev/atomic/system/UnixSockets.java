package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Unix stream sockets by path, and the one thing Java's own cannot do with them: pass an open file description to
 * another process (SCM_RIGHTS), which then shares it (its file position, its flags, a device's connection) rather
 * than opening the file anew.
 */
public final class UnixSockets {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int BACKLOG = 4;
    /** struct sockaddr_un: a short family, then 108 bytes of path. */
    private static final int SUN_PATH = 108;
    private static final long SOCKADDR_BYTES = 2 + SUN_PATH;
    /** struct msghdr on LP64: name, namelen (padded), iov, iovlen, control, controllen, flags (padded). */
    private static final long MSGHDR_BYTES = 56;
    /** CMSG_SPACE(sizeof(int)): a cmsghdr of len, level, type, then one int, padded to 8. */
    private static final long CMSG_BYTES = 24;
    private static final long CMSG_LEN_ONE_FD = 20;

    private static final MethodHandle SOCKET = Libc.function("socket");
    private static final MethodHandle BIND = Libc.function("bind");
    private static final MethodHandle CONNECT = Libc.function("connect");
    private static final MethodHandle LISTEN = Libc.function("listen");
    private static final MethodHandle ACCEPT4 = Libc.function("accept4");
    private static final MethodHandle SENDMSG = Libc.function("sendmsg");
    private static final MethodHandle RECVMSG = Libc.function("recvmsg");

    private UnixSockets() {
    }

    /** A descriptor received with the bytes that came with it. */
    public record Received(int fd, byte[] data) {
    }

    /** A listening socket bound at {@code path} (which must not exist), close-on-exec. */
    public static int listen(Path path) {
        int fd = socket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = address(arena, path);
            Libc.check("bind", Libc.quoted(path.toString()),
                    st -> (int) Words.call(BIND, st, fd, address.address(), SOCKADDR_BYTES));
            Libc.check("listen", fd, st -> (int) Words.call(LISTEN, st, fd, BACKLOG));
            return fd;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** The next connection to a listening socket, waiting for it. */
    public static int accept(int listening) {
        return (int) Libc.check("accept4", listening,
                st -> (int) Words.call(ACCEPT4, st, listening, 0L, 0L, SOCK_CLOEXEC));
    }

    /** A socket connected to the one listening at {@code path}. */
    public static int connect(Path path) {
        int fd = socket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = address(arena, path);
            Libc.check("connect", Libc.quoted(path.toString()),
                    st -> (int) Words.call(CONNECT, st, fd, address.address(), SOCKADDR_BYTES));
            return fd;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Sends {@code data} (at least one byte) with a copy of {@code passed} attached. */
    public static void sendDescriptor(int socket, int passed, byte[] data) {
        if (data.length == 0) {
            throw new IllegalArgumentException("a descriptor travels with at least one byte");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(JAVA_BYTE, data);
            MemorySegment control = arena.allocate(CMSG_BYTES, 8);
            control.set(JAVA_LONG, 0, CMSG_LEN_ONE_FD);
            control.set(JAVA_INT, 8, SOL_SOCKET);
            control.set(JAVA_INT, 12, SCM_RIGHTS);
            control.set(JAVA_INT, 16, passed);
            MemorySegment msg = message(arena, bytes, data.length, control);
            long sent = Libc.check("sendmsg", socket, st -> Words.call(SENDMSG, st, socket, msg.address(), 0));
            if (sent != data.length) {
                throw new SyscallException("sendmsg", "short (" + sent + " of " + data.length + " bytes)", Errno.EAGAIN);
            }
        }
    }

    /**
     * Waits for one message of up to {@code maxBytes} and the descriptor attached to it (close-on-exec here).
     *
     * @throws SyscallException with EPROTO-like text when the message came without one or the peer hung up
     */
    public static Received receiveDescriptor(int socket, int maxBytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(maxBytes);
            MemorySegment control = arena.allocate(CMSG_BYTES, 8);
            MemorySegment msg = message(arena, bytes, maxBytes, control);
            long n = Libc.check("recvmsg", socket,
                    st -> Words.call(RECVMSG, st, socket, msg.address(), MSG_CMSG_CLOEXEC));
            long controlLength = msg.get(JAVA_LONG, 40);
            if (n <= 0 || controlLength < CMSG_LEN_ONE_FD || control.get(JAVA_INT, 8) != SOL_SOCKET
                    || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
                throw new SyscallException("recvmsg", n <= 0 ? "the peer hung up" : "no descriptor came", Errno.EINVAL);
            }
            return new Received(control.get(JAVA_INT, 16), bytes.asSlice(0, n).toArray(JAVA_BYTE));
        }
    }

    private static MemorySegment message(Arena arena, MemorySegment bytes, long length, MemorySegment control) {
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(ADDRESS, 0, bytes);
        iov.set(JAVA_LONG, 8, length);
        MemorySegment msg = arena.allocate(MSGHDR_BYTES, 8);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, control.byteSize());
        return msg;
    }

    private static int socket() {
        return (int) Libc.check("socket", "AF_UNIX",
                st -> (int) Words.call(SOCKET, st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    }

    private static MemorySegment address(Arena arena, Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH) {
            throw new IllegalArgumentException("a Unix socket's path is under " + SUN_PATH + " bytes: " + path);
        }
        MemorySegment address = arena.allocate(SOCKADDR_BYTES, 2);
        address.set(JAVA_SHORT, 0, (short) AF_UNIX);
        address.asSlice(2, name.length).copyFrom(MemorySegment.ofArray(name));
        return address;
    }
}
