package dev.atomic.component;

import dev.atomic.system.Descriptors;
import dev.atomic.system.Mounts;
import dev.atomic.system.UnixSockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A FUSE session the Sovereign mounted for a driver ({@code [sandbox] fuse-mount}) and keeps open for as long as the
 * mount lives, handed to each incarnation of the driver in turn: the driver connects to {@link #SOCKET} in its state
 * directory and receives a copy of the Sovereign's descriptor for {@code /dev/fuse} (the same open file, so the
 * kernel's record of the requests read from it and not yet answered outlives the driver), with the session's id,
 * which changes with every mount.
 *
 * @param fd the session's {@code /dev/fuse} descriptor in this process
 * @param id the session's id: the same for every incarnation of the driver served by one mount
 */
public record FuseSession(int fd, long id) {
    /** The socket the Sovereign hands the session out on, in the driver's state directory. */
    public static final String SOCKET = ".fuse-session";
    public static final int MESSAGE_BYTES = Long.BYTES;

    /** Takes the session from the Sovereign through {@code stateDir}'s socket. */
    public static FuseSession take(Path stateDir) {
        int socket = UnixSockets.connect(stateDir.resolve(SOCKET));
        try {
            UnixSockets.Received r = UnixSockets.receiveDescriptor(socket, MESSAGE_BYTES);
            if (r.data().length != MESSAGE_BYTES) {
                Descriptors.close(r.fd());
                throw new IllegalStateException("the Sovereign's FUSE session message has " + r.data().length
                        + " bytes, not " + MESSAGE_BYTES);
            }
            return new FuseSession(r.fd(), ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN).getLong());
        } finally {
            Descriptors.close(socket);
        }
    }

    /** The file system type a session is mounted as, in /proc/mounts: {@code fuse.atomic}. */
    public static final String TYPE = "fuse.atomic";

    /**
     * Opens {@code /dev/fuse} and mounts a new session of it at {@code target} (root only), for everyone
     * ({@code allow_other}) with the kernel checking permissions against the attributes the driver gives
     * ({@code default_permissions}); the descriptor to serve it through.
     */
    public static int mount(Path target) {
        int fd = Descriptors.open("/dev/fuse", Descriptors.O_RDWR | Descriptors.O_CLOEXEC);
        try {
            Mounts.mount("atomic", target.toString(), TYPE, Mounts.MS_NOSUID | Mounts.MS_NODEV, "fd=" + fd
                    + ",rootmode=40000,user_id=0,group_id=0,allow_other,default_permissions");
            return fd;
        } catch (RuntimeException e) {
            Descriptors.close(fd);
            throw e;
        }
    }

    /** Whether a session is mounted at {@code dir} (as {@link #TYPE}), per this process's mount table. */
    public static boolean mountedAt(Path dir) throws IOException {
        String at = dir.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(at) && line.contains(" - " + TYPE + " ")) {
                return true;
            }
        }
        return false;
    }

    /** What the Sovereign sends with the descriptor: the session's id. */
    public static byte[] message(long id) {
        return ByteBuffer.allocate(MESSAGE_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array();
    }
}
