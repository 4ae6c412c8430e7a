package dev.atomic.console;

import dev.atomic.drivers.input.KeyStats;
import dev.atomic.drivers.sensor.ReadingStats;
import dev.atomic.engine.FaultLog;
import dev.atomic.engine.FaultReport;
import dev.atomic.sovereign.ControlSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events from a busy source are coalesced by the Engine, and every accepted event is accounted for; a storm is cut
 * off while critical events keep flowing.
 */
class EventEndToEndTest {
    @TempDir
    Path home;

    @Test
    void coalescedEventsStandForEveryEventEmitted() throws Exception {
        String instance = "test-events-" + ProcessHandle.current().pid();
        Path log = home.resolve("logs").resolve(instance).resolve("sensor.log");
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", EventSystems.NAME)) {
            atomic.await("^ready in \\d+ ms", RunningAtomic.BOOT);
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

    /**
     * A storm of the sensor driver, in one boot with the input driver: the sensor's readings are coalesced at the
     * source, in the window the Engine sets it, the Engine cuts it off and reports it, and restarts it calm; meanwhile every key press crosses on the critical
     * lane, none lost, reordered or coalesced, and an order of the Sovereign is served. Counts, not clocks: how fast
     * is {@code atomic bench storm}'s to say.
     */
    @Test
    void aSensorStormIsCutOffAndReportedWhileKeyPressesKeepFlowingUncoalesced() throws Exception {
        String instance = "test-storm-" + ProcessHandle.current().pid();
        Path logs = home.resolve("logs").resolve(instance);
        Path state = home.resolve("state").resolve(instance);
        Path keys = state.resolve("input-sink").resolve(KeyStats.FILE);
        Path socket = ControlSocket.path(home, instance);
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", EventSystems.STORM)) {
            // Five sandboxed components and a Vault of the test class path: minutes on a host the other suites load.
            atomic.await("^ready in \\d+ ms", Duration.ofMinutes(3));
            KeyStats.Snapshot before = awaitKeys(keys, 1);
            Files.createFile(state.resolve("storm-switch").resolve(EventSystems.StormSwitch.TRIGGER));
            awaitLine(logs.resolve("sensor.log"), "sensor: storm on");
            assertTrue(orderPing(socket).startsWith("order served in "), "an order during the storm went unserved");
            atomic.await("FAULT sensor \\(dak\\): storm: .*cut off.*restarting", Duration.ofSeconds(60));
            KeyStats.Snapshot during = KeyStats.Snapshot.read(keys);
            atomic.await("sensor \\(dak\\) is back", Duration.ofSeconds(60));
            KeyStats.Snapshot after = awaitKeys(keys, during.received() + 1);

            assertTrue(during.lastSequence() > before.lastSequence(), "no key press crossed during the storm: "
                    + before + " then " + during);
            assertEquals(List.of(0L, 0L, 0L, 0L), List.of(after.gaps(), after.reordered(), after.coalesced(),
                    after.malformed()), "key presses lost, reordered, coalesced or garbled: " + after);
            assertEquals(1, after.starts(), "the input driver was never restarted: one unbroken sequence");

            FaultReport storm = awaitStormReport(logs.resolve(FaultLog.FILE));
            assertEquals("sensor", storm.component());
            assertTrue(((Number) storm.facts().get("throttledWindows")).longValue() >= 1, storm.toString());
            assertTrue(((Number) storm.facts().get("coalescedEvents")).longValue() > 0, storm.toString());
            assertTrue(((Number) storm.facts().get("eventsPerSecond")).longValue()
                    > ((Number) storm.facts().get("framesPerSecond")).longValue(),
                    "the sensor did not merge its readings within the window the Engine set it: " + storm);
            assertEquals(200_000L, ((Number) storm.facts().get("budgetPerSecond")).longValue(), storm.toString());
            List<FaultReport> reports = FaultLog.read(logs.resolve(FaultLog.FILE));
            assertTrue(reports.stream().allMatch(r -> r.component().equals("sensor")),
                    "a report against a component that did nothing wrong: " + reports);
            assertTrue(orderPing(socket).startsWith("order served in "), "the system stopped serving orders");
            ReadingStats.Snapshot readings = ReadingStats.Snapshot.read(state.resolve("sensor-sink")
                    .resolve(ReadingStats.FILE));
            assertTrue(readings.coalescedFrames() > 0 && readings.readings() > readings.frames(),
                    "the storm's readings were never coalesced: " + readings);
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS));
        }
    }

    private static String orderPing(Path socket) throws Exception {
        StringBuilder answer = new StringBuilder();
        assertTrue(ControlSocket.ask(socket, "order-ping", answer::append), "no Sovereign listens on " + socket);
        return answer.toString();
    }

    /** The first STORM report in faults.jsonl, which its writer thread files a moment after the Engine says it. */
    private static FaultReport awaitStormReport(Path faults) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (Files.exists(faults)) {
                var storm = FaultLog.read(faults).stream().filter(r -> r.kind() == FaultReport.Kind.STORM).findFirst();
                if (storm.isPresent()) {
                    return storm.get();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no STORM report in " + faults);
    }

    /** The input sink's record once it has seen at least {@code presses}, waiting up to a minute. */
    private static KeyStats.Snapshot awaitKeys(Path file, long presses) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (Files.exists(file)) {
                KeyStats.Snapshot s = KeyStats.Snapshot.read(file);
                if (s.received() >= presses) {
                    return s;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the input sink never saw " + presses + " key presses (" + file + ")");
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
