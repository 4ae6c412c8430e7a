package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.FuseSession;
import dev.atomic.system.Descriptors;
import dev.atomic.system.Mounts;
import dev.atomic.system.Poll;
import dev.atomic.system.SyscallException;
import dev.atomic.system.UnixSockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The FUSE sessions of the drivers that ask for one ({@code [sandbox] fuse-mount}): the Sovereign opens
 * {@code /dev/fuse}, mounts the session and keeps its descriptor for as long as the mount lives, and hands a copy
 * of it to each incarnation of the driver through a socket in the driver's state directory ({@link FuseSession}).
 * Since the Sovereign's copy stays open, a driver's death does not end the session: the mount stays, the requests
 * it had read and not answered stay queued in the kernel's connection, and its successor asks for them again.
 * Unmounted at shutdown; a session a killed Sovereign left mounted (dead: its descriptor died with it) is unmounted
 * when the instance next mounts there.
 */
final class FuseSessions implements AutoCloseable {
    private static final int ACCEPT_POLL_MILLIS = 200;
    /** FUSE_NOTIFY_RESEND came with Linux 6.9. */
    private static final int[] RESEND_SINCE = {6, 9};

    private record Session(Path mountPoint, int fd, long id) {
    }

    /** Where a driver's incarnations take their session from: a socket in its state directory, served by a thread. */
    private record Handout(int listener, Thread thread) {
    }

    private final boolean root;
    private final Path home;
    private final String instance;
    private final Consumer<String> say;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<String, Handout> handouts = new LinkedHashMap<>();
    private volatile boolean closed;

    FuseSessions(boolean root, Path home, String instance, Consumer<String> say) {
        this.root = root;
        this.home = home;
        this.instance = instance;
        this.say = say;
    }

    /** Whether this kernel resends requests a dead driver read and never answered. */
    static boolean kernelResends() {
        String[] v = System.getProperty("os.version", "0.0").split("[.-]");
        try {
            int major = Integer.parseInt(v[0]);
            int minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
            return major > RESEND_SINCE[0] || major == RESEND_SINCE[0] && minor >= RESEND_SINCE[1];
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The boot report's words, for a system with FUSE drivers. */
    String describe() {
        if (!root) {
            return "FUSE mounts NOT available (not root): a driver with [sandbox] fuse-mount cannot start";
        }
        return "FUSE sessions owned by the Sovereign and handed to their drivers; a driver's death leaves its mount in "
                + "place, and " + (kernelResends() ? "the requests it had read and not answered are resent to its "
                + "successor (FUSE_NOTIFY_RESEND)" : "the requests it had read and not answered are NOT resent (Linux "
                + "before 6.9 has no FUSE_NOTIFY_RESEND): their callers wait until the mount is torn down");
    }

    /** Where {@code spec}'s session is mounted: its path, or a name under {@code <home>/mnt/<instance>}. */
    Path mountPoint(ComponentSpec spec) {
        String m = spec.sandbox().fuseMount();
        return m.startsWith("/") ? Path.of(m) : home.resolve("mnt").resolve(instance).resolve(m);
    }

    /**
     * The FUSE mounts {@code user} is granted ({@code [sandbox] mounts}), each driver's session mounted first, so
     * that its sandbox binds the mount and not the empty directory beneath: driver id to mount point on the host.
     */
    Map<String, Path> granted(ComponentSpec user, java.util.function.Function<String, ComponentSpec> drivers)
            throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        if (!root) {
            return mounts; // no driver of theirs can mount either: describe() says so in the boot report
        }
        for (String id : user.sandbox().mounts()) {
            ComponentSpec driver = drivers.apply(id);
            mounted(driver);
            mounts.put(id, mountPoint(driver));
        }
        return mounts;
    }

    /**
     * Mounts {@code spec}'s session if it has none yet, and makes sure its state directory holds the socket the
     * driver takes it from (once the directory is what the driver will see: its volume mounted). Nothing for a
     * component without a FUSE mount.
     */
    synchronized void prepare(ComponentSpec spec, Path stateDir) throws IOException {
        if (spec.sandbox().fuseMount().isEmpty() || handouts.containsKey(spec.id())) {
            return;
        }
        Session session = mounted(spec);
        Path socket = stateDir.resolve(FuseSession.SOCKET);
        Files.deleteIfExists(socket);
        int listener = UnixSockets.listen(socket);
        try {
            Files.setAttribute(socket, "unix:mode", 0600);
            Files.setAttribute(socket, "unix:uid", Sandbox.UID);
            Files.setAttribute(socket, "unix:gid", Sandbox.UID);
        } catch (IOException | RuntimeException e) {
            Descriptors.close(listener);
            throw e;
        }
        Thread thread = Thread.ofPlatform().daemon().name("fuse-" + spec.id())
                .unstarted(() -> handOut(spec.id(), listener, session.fd(), session.id()));
        handouts.put(spec.id(), new Handout(listener, thread));
        thread.start();
    }

    /** {@code spec}'s session, mounted now if it was not: before its driver starts, or before a user of it does. */
    private synchronized Session mounted(ComponentSpec spec) throws IOException {
        Session session = sessions.get(spec.id());
        if (session != null) {
            return session;
        }
        if (!root) {
            throw new IOException(spec.id() + " asks for a FUSE mount, which only a Sovereign running as root can make");
        }
        Path mountPoint = mountPoint(spec);
        Files.createDirectories(mountPoint);
        if (FuseSession.mountedAt(mountPoint)) {
            Mounts.unmount(mountPoint.toString(), Mounts.MNT_DETACH);
            say.accept("unmounted a FUSE session left at " + mountPoint + " by an earlier Sovereign");
        }
        int fd;
        try {
            fd = FuseSession.mount(mountPoint);
        } catch (RuntimeException e) {
            throw new IOException("mounting " + mountPoint + ": " + e.getMessage(), e);
        }
        session = new Session(mountPoint, fd, ThreadLocalRandom.current().nextLong());
        sessions.put(spec.id(), session);
        say.accept(spec.id() + "'s FUSE session mounted at " + mountPoint);
        return session;
    }

    /** Gives every connection to the socket a copy of the session's descriptor, until shutdown. */
    private void handOut(String id, int listener, int fd, long sessionId) {
        boolean[] ready = new boolean[1];
        while (!closed) {
            if (Poll.poll(new int[]{listener}, ACCEPT_POLL_MILLIS, ready) == 0) {
                continue;
            }
            int connection = -1;
            try {
                connection = UnixSockets.accept(listener);
                UnixSockets.sendDescriptor(connection, fd, FuseSession.message(sessionId));
            } catch (SyscallException e) {
                if (!closed) {
                    say.accept("could not hand " + id + " its FUSE session: " + e.getMessage());
                }
            } finally {
                if (connection >= 0) {
                    Descriptors.close(connection);
                }
            }
        }
    }

    /** Unmounts every session (lazily, if busy) and closes the Sovereign's descriptors, ending the sessions. */
    @Override
    public synchronized void close() {
        closed = true;
        for (Handout h : handouts.values()) {
            try {
                h.thread().join(ACCEPT_POLL_MILLIS * 5L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Descriptors.close(h.listener());
        }
        handouts.clear();
        for (Session s : sessions.values()) {
            try {
                Mounts.unmount(s.mountPoint().toString(), Mounts.MNT_DETACH);
            } catch (SyscallException e) {
                say.accept("could not unmount " + s.mountPoint() + ": " + e.getMessage());
            }
            Descriptors.close(s.fd());
        }
        sessions.clear();
    }
}
