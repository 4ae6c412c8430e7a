package dev.atomic.policy.traces;

import dev.atomic.policy.Observation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceGeneratorTest {
    /** Enough seeds that every random branch (precursor or none, noisy or not, PSI or not) comes up. */
    private static final List<Trace> TRACES = LongStream.rangeClosed(1, 20)
            .mapToObj(s -> new TraceGenerator(s).set()).flatMap(List::stream).toList();

    private static List<Trace> of(Scenario s) {
        return TRACES.stream().filter(t -> t.scenario() == s).toList();
    }

    private static Observation at(Trace t, long millis) {
        return t.observations().stream().filter(o -> o.timeMillis() == millis).findFirst().orElseThrow();
    }

    private static List<Observation> before(Trace t, long millis) {
        return t.observations().stream().filter(o -> o.timeMillis() < millis).toList();
    }

    @Test
    void theSameSeedMakesTheSameTracesAndAnotherSeedOthers() {
        assertEquals(new TraceGenerator(7).set(), new TraceGenerator(7).set());
        assertNotEquals(new TraceGenerator(7).set(), new TraceGenerator(8).set());
        assertEquals(8, new TraceGenerator(7).set().size());
    }

    @Test
    void everyTraceIsOneObservationASecondOfOneComponent() {
        for (Trace t : TRACES) {
            List<Observation> obs = t.observations();
            for (int i = 0; i < obs.size(); i++) {
                assertEquals((i + 1) * 1000L, obs.get(i).timeMillis(), t.component());
                assertEquals(t.component(), obs.get(i).component());
            }
        }
    }

    @Test
    void healthyAndNoisyComponentsNeverFailNorRestart() {
        for (Scenario s : List.of(Scenario.HEALTHY, Scenario.NOISY)) {
            for (Trace t : of(s)) {
                assertEquals(-1, t.failureMillis());
                assertEquals(-1, t.onsetMillis());
                assertEquals(TraceGenerator.HEALTHY_SECONDS, t.observations().size());
                assertTrue(t.observations().stream().allMatch(o -> o.faults().isEmpty() && o.restarts() == 0
                        && o.rssBytes() < o.memoryLimit()), t.component());
            }
        }
        // noisy is noisier: its error bursts pass a static limit of 10 a second somewhere
        assertTrue(of(Scenario.NOISY).stream().anyMatch(t -> t.observations().stream().anyMatch(o -> o.errors() > 10)));
        assertTrue(of(Scenario.HEALTHY).stream().noneMatch(t -> t.observations().stream().anyMatch(o -> o.errors() > 5)));
    }

    @Test
    void everyFaultyTraceFailsAfterItsOnsetAndEndsThirtySecondsLater() {
        for (Trace t : TRACES.stream().filter(t -> t.scenario().fails).toList()) {
            assertTrue(t.onsetMillis() >= 90_000 && t.onsetMillis() <= 150_000, t.component());
            assertTrue(t.failureMillis() >= t.onsetMillis(), t.component());
            assertEquals(t.failureMillis() + TraceGenerator.AFTER_FAILURE_SECONDS * 1000L,
                    t.observations().getLast().timeMillis(), t.component());
            assertTrue(t.failsWithin(t.failureMillis() - 5000, 10_000));
            assertTrue(!t.failsWithin(t.failureMillis() - 15_000, 10_000));
            assertTrue(!t.failsWithin(t.failureMillis() + 1000, 10_000), "failed already: not predicted any more");
        }
    }

    @Test
    void aLeakGrowsFromItsOnsetToItsLimitAndIsKilledThere() {
        for (Trace t : of(Scenario.LEAK)) {
            Observation last = at(t, t.failureMillis() - 1000);
            Observation killed = at(t, t.failureMillis());
            assertEquals(List.of("MEMORY_LIMIT"), killed.faults(), t.component());
            assertEquals(1, killed.restarts());
            assertTrue(last.memoryShare() > 0.9, t.component() + " " + last.memoryShare());
            assertTrue(last.rssSlope() > 0);
            double atOnset = at(t, t.onsetMillis()).memoryShare();
            assertTrue(before(t, t.onsetMillis()).stream().allMatch(o -> o.memoryShare() < atOnset + 0.15));
        }
    }

    @Test
    void aHangStopsProgressAtItsFailureWithRequestsPiling() {
        for (Trace t : of(Scenario.HANG)) {
            long stuck = at(t, t.failureMillis()).progress();
            assertTrue(t.observations().stream().filter(o -> o.timeMillis() >= t.failureMillis())
                    .allMatch(o -> o.progress() == stuck && o.rate() == 0), t.component());
            List<Observation> healthy = before(t, t.failureMillis());
            for (int i = 1; i < healthy.size(); i++) {
                assertTrue(healthy.get(i).progress() > healthy.get(i - 1).progress(), t.component());
            }
            assertTrue(t.observations().getLast().pending() > at(t, t.failureMillis()).pending());
        }
        assertTrue(of(Scenario.HANG).stream().anyMatch(t -> t.failureMillis() == t.onsetMillis()), "abrupt hangs");
        assertTrue(of(Scenario.HANG).stream().anyMatch(t -> t.failureMillis() > t.onsetMillis()), "slow ones");
    }

    @Test
    void aStormFailsTheFirstSecondItIsOverItsBudget() {
        for (Trace t : of(Scenario.STORM)) {
            Observation first = at(t, t.failureMillis());
            assertEquals(List.of("STORM"), first.faults());
            assertTrue(first.rate() > first.rateBudget(), t.component());
            assertTrue(t.observations().stream().filter(o -> o.timeMillis() >= t.onsetMillis()
                    && o.timeMillis() < t.failureMillis()).allMatch(o -> o.rate() <= o.rateBudget()), t.component());
        }
    }

    @Test
    void aCrashLoopCrashesAgainAndAgainAfterItsFirstCrash() {
        for (Trace t : of(Scenario.CRASH_LOOP)) {
            assertEquals(List.of("CRASH"), at(t, t.failureMillis()).faults());
            assertEquals(0, at(t, t.failureMillis() - 1000).restarts());
            long crashes = t.observations().stream().filter(o -> o.faults().contains("CRASH")).count();
            assertTrue(crashes >= 2, t.component() + " crashed " + crashes);
            assertEquals(crashes, t.observations().getLast().restarts());
        }
    }
}
