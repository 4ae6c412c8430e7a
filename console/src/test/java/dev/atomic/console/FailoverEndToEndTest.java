package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a dead Engine is replaced, as {@code atomic boot}'s failover options set it. */
class FailoverEndToEndTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void withoutAStandbyAColdEngineTakesOverWithinTheRestartBudget() throws Exception {
        String instance = "test-cold-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--no-standby", "--engine-restarts", "1")) {
            long engine = Long.parseLong(atomic.await("engine .* pid (\\d+), attached", BOOT).group(1));
            atomic.await("^ready in \\d+ ms", BOOT);
            kill9(engine);
            atomic.await("the Engine \\(pid " + engine + "\\) died with status 137; the components keep running; "
                    + "no warm standby is kept, starting a new Engine", RECOVERY);
            long cold = Long.parseLong(atomic.await("a new Engine \\(pid (\\d+)\\) took over", RECOVERY).group(1));
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);
            kill9(cold);
            atomic.await("the Engine died 2 times in a minute \\(last status 137\\); giving up", RECOVERY);
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), atomic.transcript());
            atomic.await("Atomic stopped: ", Duration.ofSeconds(5));
            assertFalse(atomic.transcript().contains("is warm and waiting"), "a standby was started:\n"
                    + atomic.transcript());
        }
    }

    private static void kill9(long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor());
    }
}
