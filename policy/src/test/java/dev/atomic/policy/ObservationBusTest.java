package dev.atomic.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObservationBusTest {
    private static Observation at(long t, String component) {
        return new Observation(t, component, "services", 0.25, 100L << 20, 1024, 256L << 20, 12.5,
                List.of(new Observation.Lane("requests", 120, 850), new Observation.Lane("events", 30, 90)), 2, 1,
                t / 10, 3, 5000, List.of("HANG"));
    }

    @Test
    void keepsEachComponentsRecentHistoryInOrderAndTellsSubscribers() {
        ObservationBus bus = new ObservationBus(Duration.ofSeconds(1), 3);
        List<Observation> heard = new ArrayList<>();
        bus.subscribe(heard::add);
        for (int t = 1; t <= 5; t++) {
            bus.publish(at(t * 1000L, "a"));
        }
        bus.publish(at(1000, "b"));
        assertEquals(List.of(3000L, 4000L, 5000L), bus.history("a").stream().map(Observation::timeMillis).toList());
        assertEquals(List.of("a", "b"), bus.components());
        assertEquals(6, heard.size());
        assertTrue(bus.history("nobody").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> bus.publish(at(5000, "a")), "a tick twice");
    }

    @Test
    void observationsRoundTripThroughJsonLines(@TempDir Path dir) throws Exception {
        List<Observation> all = List.of(at(1000, "a"), at(2000, "a"), at(1000, "kernel/services"));
        Path file = dir.resolve("observations.jsonl");
        try (Writer w = Files.newBufferedWriter(file)) {
            JsonLines.write(w, all);
        }
        assertEquals(3, Files.readAllLines(file).size());
        assertEquals(all, JsonLines.read(file));
        assertEquals(150, all.getFirst().rate());
        assertEquals(850, all.getFirst().latencyMicros());
    }

    @Test
    void aLineThatIsNotAnObservationIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"timeMillis\":1,\"component\":\"a\"}\n{nope\n");
        Exception e = assertThrows(java.io.IOException.class, () -> JsonLines.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void aTrendIsTheLeastSquaresSlopeOverItsWindow() {
        Trend trend = new Trend();
        assertEquals(0, trend.add(0, 100));
        double slope = 0;
        for (int s = 1; s <= 100; s++) {
            // 2 MiB/s, with a collection giving 3 MiB back every 5th second
            slope = trend.add(s * 1000L, s * 2.0 - (s % 5 == 0 ? 3 : 0));
        }
        assertEquals(2.0, slope, 0.1);
        for (int s = 101; s <= 100 + Trend.WINDOW; s++) {
            slope = trend.add(s * 1000L, 200);
        }
        assertEquals(0, slope, 1e-9, "the window forgot the growth");
    }
}
