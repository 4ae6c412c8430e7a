package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.atomic.console.EventEndToEndTest.awaitLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A system booted from a directory of manifests, whose components talk through typed stubs: each binding is at the
 * highest version both sides support, a method newer than that answers its declared default, and a pair with no
 * common version is refused naming both.
 */
class KabiEndToEndTest {
    @TempDir
    Path home;

    @Test
    void typedStubsSpeakTheNegotiatedVersion() throws Exception {
        String instance = "test-kabi-" + ProcessHandle.current().pid();
        Path logs = home.resolve("logs").resolve(instance);
        String refusal = "strict-caller speaks greeter v3, but greeter provides only up to v2: no version both support";
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", KabiSystems.NAME)) {
            atomic.await("binding refused: " + Pattern.quote(refusal), Duration.ofSeconds(60));
            atomic.await("^ready in \\d+ ms", RunningAtomic.BOOT);
            assertEquals("old-caller: bound at v1; hello, old", awaitLine(logs.resolve("old-caller.log"), "old-caller: "));
            String line = awaitLine(logs.resolve("new-caller.log"), "new-caller: ");
            Matcher m = Pattern.compile("new-caller: bound at v2; hello, new; greeted (\\d+); motto no motto").matcher(line);
            assertTrue(m.matches(), line);
            assertTrue(Integer.parseInt(m.group(1)) >= 1, "greeted is a v2 method: the provider answers it: " + line);
            assertEquals("strict-caller: failed: the Engine refused strict-caller's binding to 'greeter': " + refusal,
                    awaitLine(logs.resolve("strict-caller.log"), "strict-caller: "));
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
