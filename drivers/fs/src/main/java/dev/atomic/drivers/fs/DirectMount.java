package dev.atomic.drivers.fs;

import dev.atomic.component.FuseSession;
import dev.atomic.system.Mounts;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The same driver without Atomic, as a plain process that opens {@code /dev/fuse} and mounts the session itself
 * (root only): the baseline of {@code atomic bench fuse}. Its session dies with it; the mount is left unusable
 * (ENOTCONN) until unmounted, as with any FUSE daemon.
 * <p>
 * Usage: {@code DirectMount <state-dir> <mount-point>}; serves {@code <state-dir>/tree} until unmounted.
 */
public final class DirectMount {
    private DirectMount() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DirectMount <state-dir> <mount-point>");
            System.exit(2);
        }
        Path state = Path.of(args[0]);
        Path mountPoint = Path.of(args[1]);
        Files.createDirectories(state);
        Files.createDirectories(mountPoint);
        int fd = FuseSession.mount(mountPoint);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Mounts.unmount(mountPoint.toString(), Mounts.MNT_DETACH)));
        FsDriver.Served served = FsDriver.Served.open(new FuseSession(fd, System.nanoTime()), state, System.out);
        System.out.println("fs: mounted at " + mountPoint + " (direct, pid " + ProcessHandle.current().pid() + ")");
        served.server().serve();
    }
}
