package dev.atomic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.auditor.Mode;
import dev.atomic.auditor.Profile;
import dev.atomic.auditor.Reservation;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsFileTest {
    private static final String FLOOR = "(c) bare ring: 64 B round trip, p50";
    private static final String SOCKET = "(d) Unix domain socket: 64 B round trip, p50";
    private static final String FLOODED_P99 = "(a) brokered through the Engine: critical event (64 B round trip) under "
            + "a 64 KiB bulk flood, p99";

    @TempDir
    Path dir;

    @Test
    void theFileParsesBackWithTheAgreedShape() throws Exception {
        Path file = dir.resolve("results/bridge.json");
        ResultsFile.write(results(reservation(Mode.SHARED)), file);
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));

        assertEquals(List.of("benchmark", "date", "machine", "profile", "java", "method", "figures"), fields(root));
        assertEquals("bridge", root.get("benchmark").asText());
        assertEquals("lean/shared", root.get("profile").asText());
        assertEquals(List.of("cpus", "model", "ram"), fields(root.get("machine")));
        for (JsonNode f : root.get("figures")) {
            assertEquals(List.of("name", "value", "unit", "baseline", "ratio", "target", "met", "note"), fields(f));
        }
        JsonNode first = root.get("figures").get(0);
        assertEquals(FLOOR, first.get("name").asText());
        assertTrue(first.get("met").isBoolean(), "the results hook reads figures[0].met");
        assertEquals(3.1, first.get("value").asDouble(), 0.02, "HdrHistogram keeps 3 significant digits");
        assertEquals(12.4, first.get("baseline").asDouble(), 0.02);
        assertEquals(0.25, first.get("ratio").asDouble());
    }

    @Test
    void everyPathListsEveryWorkloadItIsComparedOn() {
        List<Figure> figures = results(reservation(Mode.SHARED)).figures();
        // (a): 5 timed workloads × 4 metrics + pipelined throughput; (b): 3 × 4 + 1
        assertEquals(21, figures.stream().filter(f -> f.name().startsWith("(a) ")).count());
        assertEquals(13, figures.stream().filter(f -> f.name().startsWith("(b) ")).count());
        Figure fastP50 = byName(figures, "(b) fast path: 64 B round trip, p50");
        assertEquals("<= 1.5x " + FLOOR, fastP50.target());
        assertEquals(3.1, fastP50.baseline(), 0.02);
    }

    @Test
    void aWorkloadAPathCannotRunIsListedNotApplicable() {
        Figure zeroCopy = byName(results(reservation(Mode.SHARED)).figures(),
                "(b) fast path: 64 KiB zero-copy transfer, p50");
        assertNull(zeroCopy.value());
        assertNull(zeroCopy.met());
        assertTrue(zeroCopy.note().startsWith("not applicable: "), zeroCopy.note());
    }

    @Test
    void theFloodTargetComparesTheCriticalLaneWithItself() {
        Map<BridgeFigures.Run, Outcome> outcomes = measuredOutcomes();
        outcomes.put(new BridgeFigures.Run(BridgeLineup.BROKERED, Workload.CRITICAL_64B_FLOODED),
                Outcome.measured(constant(37_200)));
        Figure flooded = byName(BridgeFigures.build(BridgeLineup.PATHS, outcomes,
                BridgeLineup.targets(reservation(Mode.SHARED))), FLOODED_P99);
        assertTrue(flooded.target().startsWith("<= 2.0x (a) brokered through the Engine: critical event (64 B round "
                + "trip), no flood, p99"), flooded.target());
        assertEquals(3.0, flooded.ratio());
        assertFalse(flooded.met());
        assertEquals("3.0x, 50% over the 2.0x target", flooded.note());
    }

    @Test
    void theBrokeredTargetFollowsTheProfile() {
        Figure lean = byName(results(reservation(Mode.SHARED)).figures(), "(a) brokered through the Engine: 64 B round trip, p50");
        assertTrue(lean.target().startsWith("<= 1.0x " + SOCKET), lean.target());
        Figure reserved = byName(results(reservation(Mode.PARTITIONED)).figures(),
                "(a) brokered through the Engine: 64 B round trip, p50");
        assertTrue(reserved.target().startsWith("<= 3.0x " + FLOOR), reserved.target());
    }

    @Test
    void aFailedPathSaysWhyAndItsTargetIsNotJudged() {
        Map<BridgeFigures.Run, Outcome> outcomes = measuredOutcomes();
        outcomes.put(new BridgeFigures.Run(BridgeLineup.UNIX, Workload.ROUND_TRIP_64B), Outcome.none("failed: boom"));
        List<Figure> figures = BridgeFigures.build(BridgeLineup.PATHS, outcomes,
                BridgeLineup.targets(reservation(Mode.SHARED)));
        assertEquals("failed: boom", byName(figures, SOCKET).note());
        Figure floor = figures.getFirst();
        assertEquals(null, floor.met());
        assertFalse(floor.note().isEmpty());
    }

    @Test
    void informationFiguresCarryNoTarget() {
        Figure spin = byName(results(reservation(Mode.SHARED)).figures(), "(c) bare ring, both spinning: 64 B round trip, p50");
        assertEquals(null, spin.target());
        assertEquals(null, spin.met());
        assertTrue(spin.note().startsWith("for information"));
    }

    private static Results results(Reservation reservation) {
        List<Figure> figures = BridgeFigures.build(BridgeLineup.PATHS, measuredOutcomes(),
                BridgeLineup.targets(reservation));
        return new Results("bridge", "2025-01-01T00:00:00Z", new Results.Machine(2, "Test CPU", 24L << 30),
                Results.profile(reservation), "25", Plan.quick().describe(), figures);
    }

    /** Every path measured on every workload it runs: the ring at 3.1 us, everything else at 12.4 us. */
    private static Map<BridgeFigures.Run, Outcome> measuredOutcomes() {
        Map<BridgeFigures.Run, Outcome> outcomes = new HashMap<>();
        for (BridgePath path : BridgeLineup.PATHS) {
            long nanos = path.label().startsWith("(c)") ? 3_100 : 12_400;
            for (Workload w : path.workloads()) {
                if (path.runs(w)) {
                    outcomes.put(new BridgeFigures.Run(path, w), Outcome.measured(constant(nanos)));
                }
            }
        }
        return outcomes;
    }

    private static Measurement constant(long nanos) {
        Histogram h = Measurement.newHistogram();
        h.recordValueWithCount(nanos, 1000);
        return new Measurement(1000, 1000 * nanos, h);
    }

    private static Reservation reservation(Mode mode) {
        return new Reservation(Profile.LEAN, mode, 1, List.of(1), 256L << 20, List.of("p", "m", "t", "c", "b"));
    }

    private static Figure byName(List<Figure> figures, String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
