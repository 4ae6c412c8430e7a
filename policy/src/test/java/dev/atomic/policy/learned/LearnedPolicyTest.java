package dev.atomic.policy.learned;

import dev.atomic.policy.Observation;
import dev.atomic.policy.PolicyRunner;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.eval.Evaluation;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.eval.Outcome;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearnedPolicyTest {
    private static List<Trace> training;
    private static FailureModel failure;

    @BeforeAll
    static void train() {
        training = Experiment.traces(List.of(1L, 2L));
        failure = FailureModel.train(training);
    }

    private static List<double[]> ticks(Trace t) {
        return Examples.of(List.of(t)).ticks().stream().map(Examples.Tick::features).toList();
    }

    private static AnomalyModel readBack(AnomalyModel m) {
        try {
            var bytes = new java.io.ByteArrayOutputStream();
            try (var out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(m);
            }
            try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                return (AnomalyModel) in.readObject();
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void trainingIsDeterministic() {
        Trace heldOut = new TraceGenerator(10_001).trace(Scenario.LEAK, 0);
        AnomalyModel a = AnomalyModel.train(training);
        AnomalyModel b = AnomalyModel.train(training);
        FailureModel again = FailureModel.train(training);
        AnomalyModel readBack = readBack(a);
        for (double[] x : ticks(heldOut)) {
            assertEquals(a.score(x), b.score(x));
            assertEquals(a.score(x), readBack.score(x), "as the Engine would cache it");
            assertEquals(failure.score(x), again.score(x));
        }
    }

    @Test
    void theFailureModelSaysAProbability() {
        for (double[] x : ticks(new TraceGenerator(10_002).trace(Scenario.CRASH_LOOP, 0))) {
            double p = failure.score(x);
            assertTrue(p >= 0 && p <= 1, "p = " + p);
        }
    }

    @Test
    void calibrationChoosesAnAlarmFromTheTrainingScores() {
        Alarm a = Calibration.choose(failure, training);
        assertTrue(a.ticks() >= 1 && a.ticks() <= 3);
        assertTrue(Examples.of(training).ticks().stream().anyMatch(t -> failure.score(t.features()) == a.threshold()));
    }

    @Test
    void anEarlyAlarmWarnsBeforeMostFailuresItFindsOnTheTrainingTraces() {
        AnomalyModel anomaly = AnomalyModel.train(training);
        Alarm early = Calibration.early(anomaly, training);
        Outcome o = Evaluation.run(new ScoringPolicy("anomaly", anomaly, early, Recommendation.Action.WATCH),
                training);
        assertTrue(o.medianLead() > 0, "median lead " + o.medianLead() + " s with " + early);
        assertTrue(o.detected() > o.late(), o.toString());
    }

    @Test
    void aLearnedPolicyRunsAdvisedByTheRunnerAndSaysWhyInWords() {
        Trace leak = new TraceGenerator(10_003).trace(Scenario.LEAK, 0);
        List<Recommendation> heard = new ArrayList<>();
        // A threshold every score passes: what is checked is how the recommendation is made, not the model's skill.
        try (PolicyRunner runner = new PolicyRunner(new TunableStore(), Duration.ofSeconds(5), f -> { })) {
            runner.add(new ScoringPolicy("failure", failure, new Alarm(-1, 1), Recommendation.Action.PREWARM_SPARE));
            for (Observation o : leak.observations()) {
                PolicyRunner.Round r = runner.round(o.timeMillis(), List.of(o));
                assertTrue(r.faults().isEmpty(), r.faults().toString());
                if (o.timeMillis() <= (Features.WARM_UP + 1) * 1000L) {
                    assertTrue(r.recommendations().isEmpty(), "nothing said while learning its baseline");
                }
                heard.addAll(r.recommendations());
            }
            assertFalse(heard.isEmpty());
            Recommendation last = heard.getLast();
            assertEquals("failure", last.policy());
            assertEquals(Recommendation.Action.PREWARM_SPARE, last.action());
            assertTrue(last.reason().startsWith("fails within 30 s with probability"), last.reason());
            assertEquals(last, runner.beliefs(leak.component()).get("failure"));
        }
    }
}
