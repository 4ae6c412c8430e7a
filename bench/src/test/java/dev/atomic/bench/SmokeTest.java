package dev.atomic.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real runs, tiny counts: two JVMs each, or a whole Atomic boot. Asserts that measuring works, never how fast
 * anything is.
 */
class SmokeTest {
    static Stream<Arguments> runs() {
        return Stream.of(Arguments.of("ring", Workload.ROUND_TRIP_64B), Arguments.of("unix", Workload.ROUND_TRIP_64B),
                Arguments.of("ring", Workload.COPY_64KIB), Arguments.of("tcp", Workload.PIPELINED_64B));
    }

    static Stream<Arguments> boots() {
        return Stream.of(Arguments.of(BenchSystem.Route.FAST, Workload.ROUND_TRIP_64B),
                Arguments.of(BenchSystem.Route.BROKERED, Workload.ZERO_COPY_64KIB),
                Arguments.of(BenchSystem.Route.BROKERED, Workload.CRITICAL_64B_FLOODED));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runs")
    void everyRoundTripIsRecorded(String transport, Workload workload) throws Exception {
        check(Runner.run(Transports.byId(transport), workload, new Counts(50, 200)), workload);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("boots")
    void everyCallInsideAtomicIsRecorded(BenchSystem.Route route, Workload workload) throws Exception {
        check(AtomicRun.run(new BenchSystem(route, workload, new Counts(50, 200))), workload);
    }

    @Test
    void theCarvingProberMeasuresInsideAtomicBesideTheHogAndTheLeaker() throws Exception {
        CarvingSystem system = new CarvingSystem(Duration.ZERO, Duration.ofMillis(300));
        CarvingSide side = CarvingSide.of(true, AtomicRun.boot(system.name(), true, Prober.RESULT_FILE,
                Prober.GO_FILE, CarvingSide.logs()));
        assertTrue(side.probes().count() > 0);
        assertEquals(side.probes().count(), side.probes().histogram().getTotalCount());
        assertTrue(side.hogThreads() > 0, "the hog said how many threads it spins");
        assertTrue(side.carveStage().contains("cgroup") || side.carveStage().contains("no cgroups"),
                side.carveStage());
    }

    @ParameterizedTest(name = "warm standby {0}")
    @ValueSource(booleans = {true, false})
    void everyEngineKillIsMeasuredAndTheBooksAddUp(boolean warm) throws Exception {
        FailoverSide side = FailoverRun.measure(warm, 2, new PrintStream(OutputStream.nullOutputStream()));
        assertNull(side.whyNone(), side.whyNone());
        assertEquals(2, side.kills());
        assertEquals(2, side.takeovers().size(), "the caller's traffic gave each new Engine something to route");
        for (Takeover t : side.takeovers()) {
            assertTrue(t.failover() > 0 && t.deathSeen() + t.ready() + t.firstRouted() <= t.failover() + 0.3,
                    "the stages add up to the failover: " + t);
        }
        FailoverLedger.Losses books = side.losses();
        assertTrue(books.calls() > 0 && books.replied() > 0, books.toString());
        assertEquals(books.calls(), books.replied() + books.failedCleanly() + books.lostRequests() + books.wrong(),
                "every call ended exactly one way: " + books);
        assertEquals(0, books.phantoms());
    }

    private static void check(Measurement m, Workload workload) {
        assertEquals(200, m.count());
        assertTrue(m.elapsedNanos() > 0);
        if (workload.pipelined()) {
            assertEquals(0, m.histogram().getTotalCount(), "pipelined runs time no single message");
        } else {
            assertEquals(200, m.histogram().getTotalCount());
            assertTrue(m.histogram().getMinValue() > 0, "a round trip took no time");
        }
    }
}
