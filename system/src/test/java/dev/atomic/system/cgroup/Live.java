package dev.atomic.system.cgroup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Helpers for tests on the host's real hierarchies. */
final class Live {
    private Live() {
    }

    static void assumeRoot() throws IOException {
        assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
    }

    /** A unique top-level group name for one test. */
    static String testRoot() {
        return "atomic-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    /**
     * A shell that counts as fast as it can into {@code counter}: progress proves it runs, a still counter proves it
     * is frozen, and it burns measurable CPU. It prints its pid once it started.
     */
    static java.lang.Process counter(Path counter) throws IOException {
        java.lang.Process p = new ProcessBuilder("sh", "-c",
                "echo $$; i=0; while :; do i=$((i+1)); echo $i > '" + counter + "'; done").start();
        new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        return p;
    }

    /**
     * Removes {@code top} from every hierarchy without the code under test: kills the test's processes, thaws v1
     * freezers (a frozen task ignores SIGKILL there), waits for the processes to go, then rmdirs deepest first.
     */
    static void scrub(Collection<Path> roots, String top, List<java.lang.Process> processes) throws Exception {
        processes.forEach(java.lang.Process::destroyForcibly);
        for (Path root : roots) {
            for (Path dir : tree(root.resolve(top))) {
                Path state = dir.resolve("freezer.state");
                if (Files.exists(state)) {
                    Files.writeString(state, "THAWED");
                }
            }
        }
        for (java.lang.Process p : processes) {
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (Path root : roots) {
            for (Path dir : tree(root.resolve(top))) {
                Files.delete(dir);
            }
        }
    }

    /** The directories under {@code dir}, deepest first; none if it does not exist. */
    private static List<Path> tree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        }
    }

    /** The state letter of a process: R running, S sleeping, D uninterruptible (v1 frozen tasks show D). */
    static String state(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("State:"))
                .findFirst().orElseThrow().substring(6).strip().substring(0, 1);
    }

    static long count(Path counter) throws IOException {
        String s = Files.readString(counter).strip();
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** True when the counter moves within {@code millis}. */
    static boolean moves(Path counter, long millis) throws Exception {
        long before = count(counter);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            Thread.sleep(10);
            if (count(counter) != before) {
                return true;
            }
        }
        return false;
    }
}
