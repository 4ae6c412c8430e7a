package dev.atomic.sovereign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Each component's state directory as a file system of its own, of the size its manifest gives
 * ({@code [sandbox] state-size}): an ext4 image beside the directory ({@code <id>.volume}, sparse: it takes on disk
 * only what is written), mounted over it through a loop device, {@code nosuid,nodev,noexec}. A component that fills
 * it gets ENOSPC there and fills nobody else's disk. Made with {@code mkfs.ext4} and {@code mount} (e2fsprogs and
 * util-linux, on every Debian): quotas would need the host's file system to have them switched on, which it rarely
 * has. Without root or those tools, state directories are plain directories and the boot report says so.
 */
public final class StateVolumes implements AutoCloseable {
    private static final long TOOL_SECONDS = 30;

    private final String unavailable;
    private final List<Path> mounted = new ArrayList<>();

    private StateVolumes(String unavailable) {
        this.unavailable = unavailable;
    }

    /** Whether this host can have them: root, a loop device, the tools. */
    public static StateVolumes probe(boolean root) {
        if (!root) {
            return new StateVolumes("not root");
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return new StateVolumes("no loop devices (/dev/loop-control)");
        }
        for (String tool : List.of("/usr/sbin/mkfs.ext4", "/usr/bin/mount", "/usr/bin/umount")) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.isExecutable(Path.of("/sbin", Path.of(tool).getFileName()
                    .toString()))) {
                return new StateVolumes(tool + " is missing (apt-get install e2fsprogs mount)");
            }
        }
        return new StateVolumes(null);
    }

    /** Why there are none on this host; null when there are. */
    String unavailable() {
        return unavailable;
    }

    /** The boot report's words. */
    String describe() {
        return unavailable == null ? "each state directory a file system of its own size (ext4 on a loop device)"
                : "state directories NOT bounded (" + unavailable + "): a component can fill the disk they are on";
    }

    /**
     * Mounts {@code dir}'s volume over it, making the volume on first use; already mounted (a start after a restart,
     * or a Sovereign that was killed), it is used as it is and this boot unmounts it at its end all the same. Empty
     * when done, else why not: the component then starts with a plain directory.
     */
    public Optional<String> mount(Path dir, long bytes) {
        if (unavailable != null) {
            return Optional.of(unavailable);
        }
        try {
            Files.createDirectories(dir);
            if (mountedAt(dir)) {
                if (!mounted.contains(dir)) {
                    mounted.add(dir);
                }
                return Optional.empty();
            }
            Path image = dir.resolveSibling(dir.getFileName() + ".volume");
            if (Files.notExists(image)) {
                try (var files = Files.list(dir)) {
                    if (files.findAny().isPresent()) {
                        return Optional.of(dir + " already holds files, kept as they are, unbounded");
                    }
                }
                try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
                    f.setLength(bytes);
                }
                run("mkfs.ext4", "-q", "-F", "-m", "0", "-L", "atomic-state", image.toString());
            }
            run("mount", "-o", "loop,nosuid,nodev,noexec", image.toString(), dir.toString());
            mounted.add(dir);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Unmounts what this boot mounted, once the components are gone; lazily if something still holds it. */
    @Override
    public void close() {
        mounted.forEach(StateVolumes::unmount);
        mounted.clear();
    }

    /**
     * Unmounts every file system mounted under {@code home}: what a Sovereign killed outright (a power cut, a test's
     * SIGKILL) left mounted, when no boot of that home follows to take it over.
     */
    public static void unmountAllUnder(Path home) throws IOException {
        String prefix = home.toAbsolutePath().normalize() + "/";
        mountPoints().stream().filter(p -> p.startsWith(prefix)).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> unmount(Path.of(p)));
    }

    private static void unmount(Path dir) {
        try {
            run("umount", dir.toString());
        } catch (IOException e) {
            try {
                run("umount", "-l", dir.toString());
            } catch (IOException ignored) {
                // the next boot finds it mounted and uses it
            }
        }
    }

    static boolean mountedAt(Path dir) throws IOException {
        return mountPoints().contains(dir.toAbsolutePath().normalize().toString());
    }

    private static List<String> mountPoints() throws IOException {
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                points.add(unescape(f[4]));
            }
        }
        return points;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(TOOL_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted");
        }
    }
}
