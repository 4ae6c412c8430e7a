package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.atomic.console.EventEndToEndTest.awaitLine;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 000's circular dependency, booted: a service that needs a driver of the kernel below, whose work needs the
 * service's approval from above. Strict layering makes each way end, long before any deadline: an order down
 * completes; the approval that would close the cycle is refused at once, naming it; a blocking call down is refused.
 */
class LayeringEndToEndTest {
    @TempDir
    Path home;

    @Test
    void theCircularDependencyCompletesOrFailsFastNeverHangs() throws Exception {
        String instance = "test-layering-" + ProcessHandle.current().pid();
        Path clerk = home.resolve("logs").resolve(instance).resolve("clerk.log");
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", LayeringSystems.NAME)) {
            atomic.await("^ready in \\d+ ms", Duration.ofSeconds(60));
            assertEnds(awaitLine(clerk, "clerk: plain: "), "", "ledger: written by disk");
            assertEnds(awaitLine(clerk, "clerk: approved: "), "failed: ", "call to ledger would close a wait-for cycle: "
                    + "disk → ledger → disk (ledger is already waiting on disk)");
            assertEnds(awaitLine(clerk, "clerk: blocking: "), "failed: ", "strict layering: ledger (services) may not wait "
                    + "synchronously on disk (dak), a lower kernel; orders flow downward asynchronously");
            atomic.await("audit disk: call to ledger refused: it would close the wait-for cycle disk → ledger → disk",
                    Duration.ofSeconds(10));
            atomic.await("audit ledger: strict layering: ledger \\(services\\) may not wait synchronously on disk",
                    Duration.ofSeconds(10));
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /** The clerk's line starts with {@code how}, says {@code what}, and that the call ended before its deadline. */
    private static void assertEnds(String line, String how, String what) {
        Matcher m = Pattern.compile("clerk: \\w+: (.*) \\(in (\\d+) ms\\)").matcher(line);
        assertTrue(m.matches(), line);
        assertTrue(m.group(1).startsWith(how) && m.group(1).contains(what), line);
        assertTrue(Long.parseLong(m.group(2)) < LayeringSystems.DEADLINE.toMillis(),
                "ended by a refusal or an answer, not by waiting out its deadline: " + line);
    }
}
