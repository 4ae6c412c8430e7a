package dev.atomic.system.cgroup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Reading and writing cgroup files, with errors that name the group, the file, the value and the kernel's reason. */
final class CgroupFiles {
    /** How long freezing, thawing or emptying a group may take before we call it stuck. */
    static final long TIMEOUT_NANOS = 5_000_000_000L;

    private CgroupFiles() {
    }

    /** Checks a group path such as {@code atomic/dak/demo-app} and returns its segments. */
    static List<String> segments(String path) {
        List<String> segments = Arrays.asList(path.split("/", -1));
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("not a relative cgroup path like atomic/dak/app: \"" + path + "\"");
            }
        }
        return segments;
    }

    static String read(String group, Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CgroupException("cgroup " + group + ": cannot read " + file + ": " + reason(e), e);
        }
    }

    /** One write(2) of {@code value}, as the kernel requires; never creates the file. */
    static void write(String group, Path file, String value) {
        try {
            Files.writeString(file, value, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new CgroupException("cgroup " + group + ": cannot write \"" + value + "\" to " + file + ": "
                    + reason(e), e);
        }
    }

    static void mkdir(String group, Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // Idempotent create: another caller (or an earlier run) made it.
        } catch (IOException e) {
            throw new CgroupException("cgroup " + group + ": cannot create " + dir + ": " + reason(e), e);
        }
    }

    /** The pids in a cgroup.procs file; none when the group does not exist there. */
    static List<Long> pids(String group, Path procs) {
        if (!Files.exists(procs)) {
            return List.of();
        }
        return read(group, procs).lines().filter(l -> !l.isEmpty()).map(Long::valueOf).toList();
    }

    /** Waits, polling briefly, until {@code done}; fails after {@link #TIMEOUT_NANOS} saying what did not happen. */
    static void await(String group, String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (long sleepMillis = 1; !done.getAsBoolean(); sleepMillis = Math.min(sleepMillis * 2, 20)) {
            if (System.nanoTime() > deadline) {
                throw new CgroupException("cgroup " + group + ": " + what + " did not happen within "
                        + TIMEOUT_NANOS / 1_000_000_000L + " s");
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CgroupException("cgroup " + group + ": interrupted while waiting until " + what, e);
            }
        }
    }

    /** The kernel's words (e.g. "Device or resource busy"), not Java's exception class. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
