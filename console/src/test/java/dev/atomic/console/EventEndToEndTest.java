package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Events from a busy source are coalesced by the Engine, and every accepted event is accounted for. */
class EventEndToEndTest {
    @TempDir
    Path home;

    @Test
    void coalescedEventsStandForEveryEventEmitted() throws Exception {
        String instance = "test-events-" + ProcessHandle.current().pid();
        Path log = home.resolve("logs").resolve(instance).resolve("sensor.log");
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", EventSystems.NAME)) {
            atomic.await("^ready in \\d+ ms", Duration.ofSeconds(60));
            String line = awaitLine(log, "sensor: ");
            Matcher m = Pattern.compile("accepted (\\d+) .* sink got (\\d+) frames standing for (\\d+) events")
                    .matcher(line);
            assertTrue(m.find(), line);
            long accepted = Long.parseLong(m.group(1));
            long frames = Long.parseLong(m.group(2));
            long events = Long.parseLong(m.group(3));
            assertTrue(accepted > 1_000, "the sensor should get many events through: " + line);
            assertEquals(accepted, events, "every accepted event is delivered or counted in a coalesced one: " + line);
            assertTrue(frames < events, "a source this busy must have been coalesced: " + line);
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS));
        }
    }

    /** The first line of a component's log starting with {@code prefix}, waiting up to a minute for it. */
    static String awaitLine(Path log, String prefix) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line starting with '" + prefix + "' in " + log);
    }
}
