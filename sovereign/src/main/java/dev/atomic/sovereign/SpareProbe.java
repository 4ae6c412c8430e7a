package dev.atomic.sovereign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What {@code /proc} says of a warm spare: whether it is waiting for its order yet, and what it costs. */
final class SpareProbe {
    /** {@code /proc/<pid>/task/<tid>/syscall} of a thread blocked in read(2) on descriptor 0. */
    private static final String READING_STDIN = "0 0x0 ";

    private SpareProbe() {
    }

    /**
     * Whether a thread of {@code pid} is blocked reading its standard input: where a spare waits, its start-up done.
     * False when the process is gone or cannot be inspected.
     */
    static boolean waiting(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                if (readOrEmpty(task.resolve("syscall")).startsWith(READING_STDIN)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Its resident memory (VmRSS), if it still runs. */
    static Optional<Long> rssBytes(long pid) {
        return field(pid, "VmRSS:").map(kib -> kib * 1024);
    }

    /** How much memory the host could still give without swapping (MemAvailable), if it says. */
    static Optional<Long> availableBytes() {
        return kib(Path.of("/proc/meminfo"), "MemAvailable:").map(kib -> kib * 1024);
    }

    private static Optional<Long> field(long pid, String name) {
        return kib(Path.of("/proc", Long.toString(pid), "status"), name);
    }

    private static Optional<Long> kib(Path file, String name) {
        List<String> lines = readOrEmpty(file).lines().filter(l -> l.startsWith(name)).toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        String[] words = lines.getFirst().substring(name.length()).trim().split("\\s+");
        return words[0].matches("\\d{1,18}") ? Optional.of(Long.parseLong(words[0])) : Optional.empty();
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
