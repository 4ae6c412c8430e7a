package dev.atomic.policy.sizing;

import dev.atomic.policy.Observation;
import dev.atomic.policy.PolicyFault;
import dev.atomic.policy.PolicyRunner;
import dev.atomic.policy.Ticks;
import dev.atomic.policy.TunableChange;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.traces.Scenario;
import dev.atomic.policy.traces.Trace;
import dev.atomic.policy.traces.TraceGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizingTest {
    private static SizingModel memory;
    private static LearnedSizing sizing;

    @BeforeAll
    static void train() {
        List<Trace> training = Experiment.traces(List.of(1L, 2L));
        memory = SizingModel.train(Measure.MEMORY, training);
        sizing = new LearnedSizing(List.of(memory, SizingModel.train(Measure.CPU, training)));
    }

    @Test
    void aModelReadBackSizesAsTheOneWritten() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(memory);
        }
        SizingModel back;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (SizingModel) in.readObject();
        }
        Window w = new Window(Measure.MEMORY);
        for (Observation o : new TraceGenerator(10_005).trace(Scenario.NOISY, 0).observations()) {
            w.add(o);
            if (w.ready()) {
                assertEquals(memory.need(w), back.need(w));
            }
        }
    }

    @Test
    void itSizesThroughTheRunnerWithinBoundsAndItsSizesDecayWhenItStops() {
        Trace leak = new TraceGenerator(10_003).trace(Scenario.LEAK, 0);
        String limitName = Measure.MEMORY.tunableOf(leak.component());
        TunableStore store = new TunableStore();
        List<PolicyFault> faults = new ArrayList<>();
        long manifest = leak.observations().getFirst().memoryLimit();
        double lowest = manifest;
        long last = 0;
        try (PolicyRunner runner = new PolicyRunner(store, Duration.ofSeconds(5), faults::add)) {
            runner.add(sizing);
            for (Observation o : leak.observations()) {
                if (last == 0) {
                    for (Measure m : Measure.values()) {
                        store.define(m.tunable(o));
                    }
                }
                runner.round(o.timeMillis(), List.of(o));
                double limit = store.value(limitName, o.timeMillis());
                assertTrue(limit >= manifest / 4.0 && limit <= manifest, limit + " outside its bounds");
                if (o.timeMillis() < leak.onsetMillis()) {
                    lowest = Math.min(lowest, limit);
                }
                last = o.timeMillis();
            }
        }
        assertTrue(faults.isEmpty(), faults.toString());
        assertTrue(lowest < manifest, "sized below the manifest's limit before the leak");
        TunableChange change = store.changes().stream().filter(c -> c.tunable().equals(limitName)).findFirst()
                .orElseThrow();
        assertEquals(LearnedSizing.NAME, change.policy());
        assertTrue(change.reason().startsWith("resident memory ") && change.reason().contains("MiB"),
                change.reason());
        assertEquals(manifest, store.value(limitName, last + Measure.DECAY.toMillis()),
                "not refreshed, it reverts to the manifest's limit");
    }

    @Test
    void onHeldOutTracesItKillsNothingTheRuleDoesNotAndReservesLess() {
        List<Trace> heldOut = Experiment.traces(List.of(10_001L));
        SizingEvaluation.Outcome learned = SizingEvaluation.run("sizing", sizing, heldOut);
        SizingEvaluation.Outcome rule = SizingEvaluation.run("max-seen", new MaxSeenSizing(), heldOut);
        SizingEvaluation.Outcome manifest = SizingEvaluation.run("static", null, heldOut);
        assertEquals(0, manifest.kills());
        assertTrue(learned.kills() <= rule.kills(), learned + " against " + rule);
        assertTrue(learned.unusedMemoryMiB() < rule.unusedMemoryMiB(), learned + " against " + rule);
        assertTrue(rule.unusedMemoryMiB() < manifest.unusedMemoryMiB());
        assertEquals(0, learned.faults());
    }

    @Test
    void theRuleSizesAtOneAndAHalfTimesTheHighestSeen() {
        MaxSeenSizing rule = new MaxSeenSizing();
        Ticks t = Ticks.of("steady");
        for (int s = 1; s <= Window.WARM_UP; s++) {
            rule.observe(t.rss((s == 10 ? 120L : 100L) << 20).at(s));
        }
        var setting = rule.decide(Window.WARM_UP * 1000L).settings().stream()
                .filter(x -> x.tunable().equals(Measure.MEMORY.tunableOf("steady"))).findFirst().orElseThrow();
        assertEquals(180.0 * (1 << 20), setting.value(), 1);
        assertTrue(rule.decide(Window.WARM_UP * 1000L).settings().isEmpty(), "nothing new observed: nothing set");
    }

    @Test
    void nothingIsSaidWhileTheWindowFillsAndASizeNeverLeavesItsBounds() {
        MaxSeenSizing rule = new MaxSeenSizing();
        Ticks t = Ticks.of("big");
        for (int s = 1; s < Window.WARM_UP; s++) {
            rule.observe(t.rss(390L << 20).at(s));
            assertTrue(rule.decide(s * 1000L).settings().isEmpty());
        }
        rule.observe(t.rss(390L << 20).at(Window.WARM_UP));
        var settings = rule.decide(Window.WARM_UP * 1000L).settings();
        assertFalse(settings.isEmpty());
        Observation o = t.at(1);
        assertEquals(Measure.MEMORY.ceiling(o), settings.stream().filter(x -> x.tunable().startsWith("memory"))
                .findFirst().orElseThrow().value(), "1.5 x 390 MiB is over the 400 MiB limit: held at it");
    }

    @Test
    void aCpuWindowWhoseTrafficBurstToTwiceItsMeanIsJudgedApartFromSteadyOnes() {
        Window cpu = new Window(Measure.CPU);
        Window memory = new Window(Measure.MEMORY);
        Ticks t = Ticks.of("bursty");
        for (int s = 1; s <= Window.TICKS; s++) {
            Observation o = t.rate(100).at(s);
            cpu.add(o);
            memory.add(o);
        }
        assertEquals(0, SizingModel.group(Measure.CPU, cpu.features()), "steady traffic");
        Observation burst = t.rate(400).at(Window.TICKS + 1);
        cpu.add(burst);
        memory.add(burst);
        assertEquals(1, SizingModel.group(Measure.CPU, cpu.features()), "a second at 4x: a peak past twice the mean");
        assertEquals(0, SizingModel.group(Measure.MEMORY, memory.features()), "memory does not follow traffic");
    }

    @Test
    void tooFewTracesToCalibrateOnIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> SizingModel.train(Measure.MEMORY,
                List.of(new TraceGenerator(3).trace(Scenario.HEALTHY, 0))));
        assertTrue(e.getMessage().contains("too few healthy stretches"), e.getMessage());
    }
}
