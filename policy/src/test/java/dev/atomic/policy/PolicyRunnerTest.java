package dev.atomic.policy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyRunnerTest {
    private static final Tunable LIMIT = new Tunable("demo.memory", Tunable.Kind.BYTES, 64 << 20, 512 << 20,
            128 << 20, "engine/limits", Duration.ofSeconds(60), null);
    private static final Observation DEMO = new Observation(1000, "demo", "services", 0.1, 50 << 20, 0, 128 << 20,
            Observation.NO_PSI, List.of(), 0, 0, 10, 0, 1000, List.of());

    private final TunableStore store = new TunableStore();
    private final List<PolicyFault> reported = new ArrayList<>();
    private final PolicyRunner runner = new PolicyRunner(store, Duration.ofMillis(200), reported::add);
    private final CountDownLatch release = new CountDownLatch(1);

    /** A policy that decides with {@code decide} and counts what it observed. */
    private static final class Scripted implements Policy {
        final String name;
        final LongFunction<Decision> decide;
        int seen;

        Scripted(String name, LongFunction<Decision> decide) {
            this.name = name;
            this.decide = decide;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void observe(Observation o) {
            seen++;
        }

        @Override
        public Decision decide(long nowMillis) {
            return decide.apply(nowMillis);
        }
    }

    private static Decision watch(String component, String why) {
        return Decision.recommend(List.of(new Recommendation(component, Recommendation.Action.WATCH, 0.9, why, null)));
    }

    @AfterEach
    void close() {
        release.countDown();
        runner.close();
    }

    @Test
    void aThrowingPolicyIsIgnoredAndReportedWhileTheHeuristicsAndOthersCarryOn() {
        store.define(LIMIT);
        runner.addBuiltIn(new Scripted("thresholds", now -> watch("demo", "over its budget")));
        runner.add(new Scripted("broken", now -> {
            throw new IllegalStateException("model file missing");
        }));
        runner.add(new Scripted("sizing", now -> new Decision(List.of(new Decision.Setting("demo.memory",
                256 << 20, "its peak was 200 MiB")), List.of())));
        PolicyRunner.Round r = runner.round(1000, List.of(DEMO));
        assertEquals(List.of("thresholds"), r.recommendations().stream().map(Recommendation::policy).toList());
        assertEquals(256 << 20, store.value("demo.memory", 1000));
        assertEquals(1, r.faults().size());
        PolicyFault f = r.faults().getFirst();
        assertEquals("broken", f.policy());
        assertEquals(PolicyFault.Kind.THREW, f.kind());
        assertTrue(f.detail().contains("model file missing"), f.detail());
        assertEquals(r.faults(), reported);
        // Ignored for that round only: it is asked again in the next.
        assertEquals(1, runner.round(2000, List.of()).faults().size());
    }

    @Test
    void aStalledPolicyIsIgnoredWithinTheBoundAndSkippedUntilItReturns() throws Exception {
        Scripted stuck = new Scripted("stuck", now -> {
            try {
                release.await(); // deaf to the interrupt: a policy that ignores it still cannot hold a round
            } catch (InterruptedException e) {
                try {
                    release.await();
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
            }
            return watch("demo", "late");
        });
        runner.addBuiltIn(new Scripted("thresholds", now -> watch("demo", "heuristic")));
        runner.add(stuck);
        long t0 = System.nanoTime();
        PolicyRunner.Round first = runner.round(1000, List.of(DEMO));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "the round waited for the stall");
        assertEquals(PolicyFault.Kind.STALLED, first.faults().getFirst().kind());
        assertEquals(List.of("heuristic"), first.recommendations().stream().map(Recommendation::reason).toList());
        PolicyRunner.Round second = runner.round(2000, List.of(DEMO));
        assertTrue(second.faults().isEmpty(), "skipped while still stuck, not reported again: " + second.faults());
        assertEquals(1, stuck.seen, "a stuck policy is not handed more observations");
        release.countDown();
        for (int i = 0; i < 100 && stuck.seen < 2; i++) {
            runner.round(3000 + i, List.of());
            Thread.sleep(10);
        }
        PolicyRunner.Round back = runner.round(5000, List.of(DEMO));
        assertEquals(List.of("thresholds", "stuck"), back.recommendations().stream().map(Recommendation::policy)
                .toList(), "resumed once its call returned");
    }

    @Test
    void outOfBoundsAndUnknownProposalsAreDroppedAndReported() {
        store.define(LIMIT);
        runner.add(new Scripted("greedy", now -> new Decision(
                List.of(new Decision.Setting("demo.memory", 8L << 30, "more is better"),
                        new Decision.Setting("demo.memory", Double.NaN, "nothing"),
                        new Decision.Setting("no.such", 1, "?")),
                List.of(new Recommendation("ghost", Recommendation.Action.RESTART, 0.5, "?", null),
                        new Recommendation("demo", Recommendation.Action.RESTART, 1.5, "very sure", null),
                        new Recommendation("demo", Recommendation.Action.CHECKPOINT, 0.7, "fine", null)))));
        PolicyRunner.Round r = runner.round(1000, List.of(DEMO));
        assertEquals(128 << 20, store.value("demo.memory", 1000), "left on its default");
        assertTrue(store.changes().isEmpty());
        assertEquals(List.of(PolicyFault.Kind.OUT_OF_BOUNDS, PolicyFault.Kind.OUT_OF_BOUNDS, PolicyFault.Kind.UNKNOWN,
                PolicyFault.Kind.UNKNOWN, PolicyFault.Kind.OUT_OF_BOUNDS), r.faults().stream()
                .map(PolicyFault::kind).toList());
        assertEquals(List.of(Recommendation.Action.CHECKPOINT), r.recommendations().stream()
                .map(Recommendation::action).toList());
    }

    @Test
    void aPolicyCannotSpeakForAnotherAndBeliefsKeepEachPolicysLastWord() {
        runner.add(new Scripted("anomaly", now -> Decision.recommend(List.of(
                new Recommendation("demo", Recommendation.Action.WATCH, 0.8, "memory growing", "failure")))));
        runner.round(1000, List.of(DEMO));
        Recommendation said = runner.beliefs("demo").get("anomaly");
        assertEquals("anomaly", said.policy());
        assertEquals("memory growing", said.reason());
        assertTrue(runner.beliefs("other").isEmpty());
    }
}
