package dev.atomic.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs a {@link BenchSystem} in a real Atomic: a fresh Sovereign JVM boots it (Engine, component hosts, lanes and
 * all), {@link Ping} measures inside it, and the harness takes its result from beside ping's log, then stops
 * Atomic with SIGTERM. Each run has its own home and instance name, so it never meets another Atomic; a failure
 * is reported with what ping or Atomic said, and the home (logs included) goes with the run.
 */
final class AtomicRun {
    /** Boot, settling, warm-up and measuring, with room for a noisy host. */
    private static final Duration RESULT = Duration.ofMinutes(4);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;
    /** What the Engine says when it hands ping and pong their direct ring. */
    private static final String FAST_PATH_OPEN = "fast path open: ping → " + BenchSystem.SERVICE;
    /** What the Sovereign says once every process, cgroup and segment is gone. */
    private static final String STOPPED = "Atomic stopped:";
    private static final AtomicInteger RUNS = new AtomicInteger();

    private AtomicRun() {
    }

    static Measurement run(BenchSystem system) throws Exception {
        Path home = Files.createTempDirectory("atomic-bench-boot-");
        String instance = "bench-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        Path result = home.resolve("logs").resolve(instance).resolve(Ping.RESULT_FILE);
        try (ChildJvm atomic = ChildJvm.start(BenchChild.atomicArgs(system.name(), instance, home))) {
            String outcome = awaitResult(atomic, result);
            List<String> said = atomic.terminate(STOP);
            if (outcome == null) {
                throw new IllegalStateException("Atomic ended before ping measured; it said last: '"
                        + said.stream().filter(l -> !l.startsWith(STOPPED)).reduce((a, b) -> b).orElse("") + "'");
            }
            if (outcome.startsWith(Ping.FAILED)) {
                throw new IllegalStateException("ping: " + outcome.substring(Ping.FAILED.length()));
            }
            if (said.stream().noneMatch(l -> l.startsWith(STOPPED))) {
                throw new IllegalStateException("Atomic did not report a clean stop");
            }
            if (system.route() == BenchSystem.Route.FAST && said.stream().noneMatch(l -> l.contains(FAST_PATH_OPEN))) {
                throw new IllegalStateException("the Engine never opened the fast path");
            }
            return Measurement.decode(outcome.substring(Ping.MEASURED.length()));
        } finally {
            deleteTree(home);
        }
    }

    /** Ping's outcome, or null when Atomic ended without one. */
    private static String awaitResult(ChildJvm atomic, Path result) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RESULT.toNanos();
        while (true) {
            boolean ended = !atomic.alive();
            if (Files.exists(result)) {
                return Files.readString(result);
            }
            if (ended) {
                return null;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("ping wrote no result within " + RESULT.toMinutes() + " min");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** Best effort: a temporary directory left behind must not hide how the run went. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the system's temporary-file cleaning
        }
    }
}
