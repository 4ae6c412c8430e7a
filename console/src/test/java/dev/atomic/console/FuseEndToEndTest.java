package dev.atomic.console;

import dev.atomic.bench.FuseDriver;
import dev.atomic.bench.FuseWorkload;
import dev.atomic.component.FuseSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 6's FUSE driver: the Sovereign mounts a session and hands it to the driver; the driver is killed with
 * SIGKILL again and again while an application extracts a tar archive through the mount, checks every file's
 * SHA-256, writes files and reads them back. The mount stays mounted throughout, each restarted driver takes the same
 * session over and answers what its predecessor read and never answered, and the application sees no error and
 * byte-identical data.
 */
class FuseEndToEndTest {
    private static final Duration BOOT = RunningAtomic.BOOT;
    private static final Duration RESTART = Duration.ofSeconds(60);
    private static final int KILLS = 6;
    private static final int ROUNDS_AFTER_KILLS = 1;
    private static final String TOOK_OVER = "fs: took over FUSE session";

    @TempDir
    Path home;
    @TempDir
    Path work;

    @Test
    void theWorkloadSeesNoErrorWhileTheDriverIsKilled() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root")
                && Files.exists(Path.of("/dev/fuse")), "mounting a FUSE session needs root and /dev/fuse");
        String instance = "test-fuse-" + ProcessHandle.current().pid();
        FuseWorkload workload = FuseWorkload.prepare(work, 300, 8, 512 * 1024, 6);
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", FuseSystems.NAME)) {
            String fuseLine = atomic.await("^ +fuse: .*", BOOT).group();
            assertTrue(fuseLine.contains("resent to its successor"), fuseLine);
            atomic.await("dak .*fs ready \\(pid \\d+\\)", BOOT);
            atomic.await("^ready in \\d+ ms", BOOT);
            Path mount = home.resolve("mnt").resolve(instance).resolve("fs");
            Path state = home.resolve("state").resolve(instance).resolve("fs");
            Path log = home.resolve("logs").resolve(instance).resolve("fs.log");
            assertTrue(FuseSession.mountedAt(mount), mount + " is not mounted");

            AtomicBoolean killing = new AtomicBoolean(true);
            AtomicInteger unmountedSeen = new AtomicInteger();
            // Threads of their own: the common pool has one thread on a 2-CPU host, and the watch holds it throughout.
            java.util.concurrent.Executor threads = task -> Thread.ofPlatform().daemon().start(task);
            CompletableFuture<Void> watch = CompletableFuture.runAsync(() -> {
                while (killing.get()) {
                    try {
                        if (!FuseSession.mountedAt(mount)) {
                            unmountedSeen.incrementAndGet();
                        }
                        Thread.sleep(20);
                    } catch (Exception e) {
                        unmountedSeen.incrementAndGet();
                    }
                }
            }, threads);
            CompletableFuture<List<Long>> killer = CompletableFuture.supplyAsync(() -> {
                List<Long> killed = new ArrayList<>();
                try {
                    long pid = FuseDriver.await(state, 0, RESTART);
                    for (int i = 0; i < KILLS; i++) {
                        awaitTakeovers(log, i + 1); // killed serving, not while its JVM starts
                        Thread.sleep(300 + 100L * i);
                        FuseDriver.kill(pid);
                        killed.add(pid);
                        pid = FuseDriver.await(state, pid, RESTART);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    killing.set(false);
                }
                return killed;
            }, threads);

            List<String> errors = new ArrayList<>();
            int rounds = 0;
            int after = 0;
            while (after <= ROUNDS_AFTER_KILLS) {
                boolean killsDone = !killing.get();
                FuseWorkload.Round r = workload.run(mount.resolve("round-" + rounds), rounds);
                errors.addAll(r.errors());
                rounds++;
                after += killsDone ? 1 : 0;
            }
            List<Long> killed = killer.get();
            watch.get();
            assertEquals(KILLS, killed.size(), "kills made: " + killed);
            assertEquals(List.of(), errors, "the application saw errors over " + rounds + " rounds and " + killed.size()
                    + " kills\n" + atomic.transcript());
            assertEquals(0, unmountedSeen.get(), "the mount was gone " + unmountedSeen + " time(s) meanwhile");
            awaitTakeovers(log, KILLS + 1);
            String driverLog = Files.readString(log);
            long sessions = driverLog.lines().filter(l -> l.contains(TOOK_OVER)).map(l -> l.replaceAll(
                    ".*session (\\p{XDigit}+).*", "$1")).distinct().count();
            assertEquals(1, sessions, "one session for every incarnation\n" + driverLog);
            System.out.println("FuseEndToEndTest: " + rounds + " rounds, kills of " + killed + ", "
                    + driverLog.lines().filter(l -> l.contains("sent again")).count() + " requests answered after a resend");

            atomic.terminate();
            atomic.await("Atomic stopped:", BOOT);
            assertFalse(FuseSession.mountedAt(mount), "Atomic's shutdown leaves " + mount + " mounted");
        }
    }

    /** Waits until {@code count} driver incarnations have said they took the session over. */
    private static void awaitTakeovers(Path log, int count) throws java.io.IOException, InterruptedException {
        long end = System.nanoTime() + RESTART.toNanos();
        while (!Files.exists(log) || Files.readString(log).lines().filter(l -> l.contains(TOOK_OVER)).count() < count) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException(count + " incarnations did not take the session over within "
                        + RESTART.toSeconds() + " s:\n" + (Files.exists(log) ? Files.readString(log) : "(no log)"));
            }
            Thread.sleep(20);
        }
    }
}
