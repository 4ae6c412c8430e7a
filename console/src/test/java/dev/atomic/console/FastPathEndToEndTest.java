package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fast path that the policy keeps revoking and re-opening under steady, sequence-numbered traffic: every call is
 * answered, in order, whether it went over the direct ring or through the Engine — revocation loses nothing.
 */
class FastPathEndToEndTest {
    private static final Duration BOOT = RunningAtomic.BOOT;

    @TempDir
    Path home;

    @Test
    void revokingAndReopeningAFastPathUnderTrafficLosesNothing() throws Exception {
        String instance = "test-fast-" + ProcessHandle.current().pid();
        Path logs = home.resolve("logs").resolve(instance);
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", FastPathSystems.NAME)) {
            // It opens as soon as both ends are up, which may be before or after the "ready" line.
            atomic.await("fast path open: steady → echo \\(echo\\), the Engine steps out of its data path", BOOT);
            // The first report may cover only the moment it opened; the two after it are whole periods, and each
            // shows requests through the ring and several openings (churn).
            atomic.await("fast path steady → echo: (\\d+) KiB of requests, opened (\\d+) time", BOOT);
            for (int period = 0; period < 2; period++) {
                Matcher m = atomic.await("fast path steady → echo: (\\d+) KiB of requests, opened (\\d+) time", BOOT);
                assertTrue(Integer.parseInt(m.group(2)) >= 3, "the policy should re-open it every "
                        + FastPathSystems.CHURN_MILLIS + " ms: " + m.group());
            }
            Files.createFile(home.resolve("state").resolve(instance).resolve("steady").resolve(SteadyApp.QUIESCE));
            String last = awaitFinal(logs.resolve("steady.log"));
            Matcher counts = java.util.regex.Pattern.compile("sent (\\d+) answered (\\d+) failed (\\d+) wrong (\\d+)")
                    .matcher(last);
            assertTrue(counts.find(), last);
            long sent = Long.parseLong(counts.group(1));
            // A count, not a rate: on a host at load 30 it made 149 calls where a quiet one makes thousands.
            assertTrue(sent > 20, "steady should have called across the path's re-openings: " + last);
            assertEquals(sent, Long.parseLong(counts.group(2)), "every call answered: " + last);
            assertEquals(0, Long.parseLong(counts.group(3)), "no call failed: " + last);
            assertEquals(0, Long.parseLong(counts.group(4)), "no answer belonged to another call: " + last);
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), atomic.transcript());
        }
    }

    private static String awaitFinal(Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("steady: final")) {
                        return line;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("steady never logged its final counts in " + log);
    }
}
