package dev.atomic.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs a system in a real Atomic: a fresh Sovereign JVM boots it (Engine, component hosts, lanes and all), a
 * component measures inside it ({@link Ping}, {@link Prober}), sandboxed as any, and the harness takes its result
 * from that component's state directory, then stops Atomic with SIGTERM. Each run has its own home and instance name, so it never meets
 * another Atomic; a failure is reported with what the component or Atomic said, and the home (logs included) goes
 * with the run.
 */
final class AtomicRun {
    /** Boot, settling, warm-up and measuring, with room for a noisy host. */
    private static final Duration RESULT = Duration.ofMinutes(4);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;
    /** What the Engine says when it hands ping and pong their direct ring. */
    private static final String FAST_PATH_OPEN = "fast path open: ping → " + BenchSystem.SERVICE;
    /** What the Sovereign says once every kernel is up. */
    static final String READY = "ready in ";
    /** What the Sovereign says once every process, cgroup and segment is gone. */
    static final String STOPPED = "Atomic stopped:";
    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * What a measured boot left behind.
     *
     * @param outcome what the measuring component wrote after {@link Ping#MEASURED}
     * @param said    every line Atomic printed (the Sovereign's and the Engine's)
     * @param logs    the component logs asked for, by file name; empty text when there was none
     * @param status  the CLI status requests timed meanwhile, when asked for; else null
     */
    record Boot(String outcome, List<String> said, Map<String, String> logs, StatusProber.Result status) {
    }

    private AtomicRun() {
    }

    static Measurement run(BenchSystem system) throws Exception {
        Boot boot = boot(system.name(), true, Ping.RESULT_FILE, null, List.of());
        if (system.route() == BenchSystem.Route.FAST && boot.said().stream().noneMatch(l -> l.contains(FAST_PATH_OPEN))) {
            throw new IllegalStateException("the Engine never opened the fast path");
        }
        return Measurement.decode(boot.outcome());
    }

    /**
     * Boots {@code system}, waits for {@code resultFile} to appear in the measuring component's state directory (the
     * file names the component: {@code ping.result}), stops Atomic.
     *
     * @param carve  false to boot it as {@code atomic boot --no-carving} does
     * @param goFile when not null, created in that state directory once Atomic says it is ready
     * @param logs   component log files (such as {@code leaker.log}) to keep in the answer
     */
    static Boot boot(String system, boolean carve, String resultFile, String goFile, List<String> logs)
            throws Exception {
        return boot(system, carve, resultFile, goFile, logs, null);
    }

    /**
     * @param statusWarmup when not null, {@code atomic status} requests are timed from Atomic's readiness until the
     *                     result appears, the first ones for this long untimed
     */
    static Boot boot(String system, boolean carve, String resultFile, String goFile, List<String> logs,
                     Duration statusWarmup) throws Exception {
        Path home = Files.createTempDirectory("atomic-bench-boot-");
        // Searchable, as a home Atomic makes is: components, as nobody, reach their images through it.
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
        String instance = newInstance();
        Path logDir = home.resolve("logs").resolve(instance);
        String who = resultFile.substring(0, resultFile.indexOf('.'));
        try (ChildJvm atomic = ChildJvm.start(BenchChild.atomicArgs(system, instance, home, carve))) {
            StatusProber[] status = new StatusProber[1];
            String outcome;
            try {
                outcome = awaitResult(atomic, home.resolve("state").resolve(instance).resolve(who), resultFile,
                        goFile, () -> {
                    if (statusWarmup != null) {
                        status[0] = new StatusProber(home, instance, statusWarmup);
                    }
                });
            } finally {
                if (status[0] != null) {
                    status[0].close();
                }
            }
            StatusProber.Result statusResult = status[0] == null ? null : status[0].finish();
            atomic.terminate(STOP);
            List<String> said = atomic.transcript();
            if (outcome == null) {
                throw new IllegalStateException("Atomic ended before " + who + " measured; it said last: '"
                        + said.stream().filter(l -> !l.startsWith(STOPPED)).reduce((a, b) -> b).orElse("") + "'");
            }
            if (outcome.startsWith(Ping.FAILED)) {
                throw new IllegalStateException(who + ": " + outcome.substring(Ping.FAILED.length()));
            }
            if (said.stream().noneMatch(l -> l.startsWith(STOPPED))) {
                throw new IllegalStateException("Atomic did not report a clean stop");
            }
            Map<String, String> kept = new LinkedHashMap<>();
            for (String log : logs) {
                Path file = logDir.resolve(log);
                kept.put(log, Files.exists(file) ? Files.readString(file) : "");
            }
            return new Boot(outcome.substring(Ping.MEASURED.length()), said, kept, statusResult);
        } finally {
            deleteTree(home);
        }
    }

    /** The component's outcome, or null when Atomic ended without one. */
    private static String awaitResult(ChildJvm atomic, Path stateDir, String resultFile, String goFile, Runnable onReady)
            throws IOException, InterruptedException {
        Path result = stateDir.resolve(resultFile);
        boolean go = false;
        long deadline = System.nanoTime() + RESULT.toNanos();
        while (true) {
            boolean ended = !atomic.alive();
            if (!go && atomic.said(READY)) {
                if (goFile != null) {
                    Files.writeString(stateDir.resolve(goFile), "go\n");
                }
                onReady.run();
                go = true;
            }
            if (Files.exists(result)) {
                return Files.readString(result);
            }
            if (ended) {
                return null;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(resultFile + " did not appear within " + RESULT.toMinutes() + " min");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** An instance name no other run uses: a measured boot never meets another Atomic. */
    static String newInstance() {
        return "bench-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
    }

    /** Best effort: a temporary directory left behind must not hide how the run went. */
    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the system's temporary-file cleaning
        }
    }
}
