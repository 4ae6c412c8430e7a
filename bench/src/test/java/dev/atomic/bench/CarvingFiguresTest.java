package dev.atomic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CarvingFiguresTest {
    @TempDir
    Path dir;

    @Test
    void theJudgedFiguresComeFirstAndTheFirstIsJudged() throws Exception {
        List<Figure> figures = CarvingFigures.build(side(true, 2_000_000), side(false, 40_000_000));
        assertEquals(List.of(CarvingFigures.P99_ON, CarvingFigures.ON_VS_OFF, CarvingFigures.STATUS_ON,
                CarvingFigures.STATUS_ON_VS_OFF), figures.subList(0, 4).stream().map(Figure::name).toList());

        Figure absolute = figures.getFirst();
        assertEquals(2.0, absolute.value());
        assertEquals("ms", absolute.unit());
        assertEquals("<= 100 ms", absolute.target());
        assertNull(absolute.baseline(), "an absolute target has no baseline");
        assertNull(absolute.ratio());
        assertTrue(absolute.met());

        Figure ratio = figures.get(1);
        assertEquals(2.0, ratio.value());
        assertEquals(40.0, ratio.baseline());
        assertEquals(0.05, ratio.ratio());
        assertTrue(ratio.met());
        assertTrue(ratio.target().startsWith("<= 0.1x " + CarvingFigures.P99_OFF), ratio.target());

        Path file = dir.resolve("carving.json");
        ResultsFile.write(new Results("carving", "2025-01-01T00:00:00Z", new Results.Machine(2, "Test CPU", 24L << 30),
                "lean/shared", "25", "method", figures), file);
        JsonNode first = new ObjectMapper().readTree(Files.readString(file)).get("figures").get(0);
        assertTrue(first.get("met").isBoolean(), "the results hook reads figures[0].met");
    }

    @Test
    void carvingThatHelpsLessThanTenfoldMisses() {
        Figure ratio = CarvingFigures.build(side(true, 20_000_000), side(false, 40_000_000)).get(1);
        assertEquals(0.5, ratio.ratio());
        assertFalse(ratio.met());
        assertEquals("0.5x, 400% over the 0.1x target", ratio.note());
    }

    @Test
    void theCliStatusRequestsAreJudgedLikeTheProbe() {
        List<Figure> figures = CarvingFigures.build(side(true, 2_000_000), side(false, 40_000_000));
        Figure status = figures.get(2);
        assertEquals(1.0, status.value());
        assertEquals("<= 100 ms", status.target());
        assertTrue(status.met());
        Figure ratio = figures.get(3);
        assertEquals(20.0, ratio.baseline());
        assertEquals(0.05, ratio.ratio());
        assertTrue(ratio.met());

        CarvingSide untimed = side(true, 2_000_000);
        untimed = new CarvingSide(true, untimed.probes(), 0, 1, 0, 0, 0, 0, "carve", 2, null, null, 0);
        Figure none = CarvingFigures.build(untimed, side(false, 40_000_000)).get(2);
        assertNull(none.value());
        assertNull(none.met());
        assertEquals("no status request was timed", none.note());
    }

    @Test
    void aFailedSettingIsNotJudgedAndSaysWhy() {
        List<Figure> figures = CarvingFigures.build(CarvingSide.none(true, "failed: boom"), side(false, 40_000_000));
        assertNull(figures.get(0).value());
        assertNull(figures.get(0).met());
        assertEquals("failed: boom", figures.get(0).note());
        assertNull(figures.get(1).met());
        Figure off = figures.stream().filter(f -> f.name().equals(CarvingFigures.P99_OFF)).findFirst().orElseThrow();
        assertEquals(40.0, off.value());
    }

    @Test
    void aBootIsReadFromWhatAtomicAndTheComponentsSaid() {
        Measurement m = constant(1_500_000);
        AtomicRun.Boot boot = new AtomicRun.Boot("3 " + m.encode(), List.of(
                "  carve         12.5 ms  cgroup v1: x/{sovereign,engine,services,dak} created; capped",
                "12:00:00.000 engine    FAULT leaker (dak): process 12 is gone, killed by signal 9 (SIGKILL)",
                "12:00:00.001 engine    restarting leaker (dak) (restart 1 of at most 5 in 30 s)",
                "12:00:03.000 engine    FAULT leaker (dak): process 13 is gone",
                "12:00:03.001 engine    gave up on leaker (dak): it failed 6 times in 30 s"),
                Map.of(CarvingSide.LEAKER_LOG, Leaker.HELD + "64 MiB\n" + Leaker.HELD + "192 MiB\n" + Leaker.STARTED
                                + "\n" + Leaker.HELD + "128 MiB\n",
                        CarvingSide.HOG_LOG, Hog.SPINNING + "2 thread(s), one per CPU of the machine\n"),
                new StatusProber.Result(constant(2_000_000), 1));
        CarvingSide side = CarvingSide.of(true, boot);
        assertEquals(1000, side.probes().count());
        assertEquals(3, side.failedProbes());
        assertEquals(1.5, side.millis(99));
        assertEquals("cgroup v1: x/{sovereign,engine,services,dak} created; capped", side.carveStage());
        assertEquals(2, side.leakerDeaths());
        assertEquals(1, side.leakerRestarts());
        assertEquals(1, side.leakerGivenUp());
        assertEquals(192, side.leakerPeakMiB());
        assertEquals(2, side.hogThreads());
        assertEquals(2.0, side.statusMillis(99));
        assertEquals(1, side.failedStatus());

        CarvingSide both = side.plus(side);
        assertEquals(2000, both.probes().count());
        assertEquals(4, both.leakerDeaths());
        assertEquals(2, both.boots());
        assertEquals(2000, both.status().count());
        assertEquals(2, both.failedStatus());
        assertNull(both.plus(CarvingSide.none(true, "failed: x")).probes(), "a failure sticks");
    }

    private static CarvingSide side(boolean carve, long p99Nanos) {
        Histogram h = Measurement.newHistogram();
        h.recordValueWithCount(300_000, 980);
        h.recordValueWithCount(p99Nanos, 20);
        return new CarvingSide(carve, new Measurement(1000, 10_000_000_000L, h), 0, 1, carve ? 3 : 0, carve ? 3 : 0,
                0, carve ? 192 : 1024, "carve", 2, null, constant(carve ? 1_000_000 : 20_000_000), 0);
    }

    private static Measurement constant(long nanos) {
        Histogram h = Measurement.newHistogram();
        h.recordValueWithCount(nanos, 1000);
        return new Measurement(1000, 1000 * nanos, h);
    }
}
