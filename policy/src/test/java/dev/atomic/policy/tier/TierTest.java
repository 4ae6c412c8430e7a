package dev.atomic.policy.tier;

import dev.atomic.policy.Decision;
import dev.atomic.policy.PolicyRunner;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.Ticks;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.Alarm;
import dev.atomic.policy.learned.AnomalyModel;
import dev.atomic.policy.learned.Calibration;
import dev.atomic.policy.learned.Scorer;
import dev.atomic.policy.traces.Scenario;
import dev.atomic.policy.traces.Trace;
import dev.atomic.policy.traces.TraceGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TierTest {
    /** The actions recommended, as "second:ACTION". */
    private static List<String> actions(Promotion p, List<dev.atomic.policy.Observation> observations) {
        List<String> said = new ArrayList<>();
        for (var o : observations) {
            p.observe(o);
            Decision d = p.decide(o.timeMillis());
            d.recommendations().forEach(r -> said.add(o.timeMillis() / 1000 + ":" + r.action()));
        }
        return said;
    }

    @Test
    void theRulePromotesAfterAMinuteCleanAndDemotesOnARestart() {
        Ticks t = Ticks.of("svc");
        List<dev.atomic.policy.Observation> obs = new ArrayList<>();
        for (int s = 1; s <= 200; s++) {
            obs.add(t.restarts(s >= 100 ? 1 : 0).at(s));
        }
        assertEquals(List.of("60:PROMOTE", "100:DEMOTE", "160:PROMOTE"), actions(new CleanTime(), obs));
    }

    @Test
    void policy5DemotesOnPolicy1sAlarmBeforeTheFailure() {
        Trace leak = new TraceGenerator(10_004).trace(Scenario.LEAK, 0);
        // A stand-in for policy 1's model: alarmed by memory past 70% of its limit (feature 12, memory.share).
        Scorer memory = new Scorer() {
            @Override
            public double score(double[] features) {
                return features[12];
            }

            @Override
            public String meaning(double score) {
                return "memory at " + Math.round(score * 100) + "% of its limit";
            }
        };
        List<String> said = actions(new TierChoice(memory, new Alarm(0.7, 2)), leak.observations());
        assertEquals("60:PROMOTE", said.getFirst());
        long demotedAt = Long.parseLong(said.get(1).split(":")[0]);
        assertEquals("DEMOTE", said.get(1).split(":")[1]);
        assertTrue(demotedAt * 1000 < leak.failureMillis(), "demoted at " + demotedAt + " s, before the failure");
        assertEquals(List.of("60:PROMOTE"), actions(new CleanTime(), leak.observations()).subList(0, 1));
        assertEquals(1, TierEvaluation.run(new CleanTime(), List.of(leak)).failedPromoted());
        assertEquals(0, TierEvaluation.run(new TierChoice(memory, new Alarm(0.7, 2)), List.of(leak))
                .failedPromoted());
    }

    @Test
    void scoredByTheLearnedModelItsPromotionsHoldMoreOftenThanTheRules() {
        List<Trace> training = Experiment.traces(List.of(1L, 2L));
        AnomalyModel anomaly = AnomalyModel.train(training);
        Alarm alarm = Calibration.early(anomaly, training);
        List<Trace> heldOut = Experiment.traces(List.of(10_001L, 10_002L));
        TierEvaluation learned = TierEvaluation.run(new TierChoice(anomaly, alarm), heldOut);
        TierEvaluation rule = TierEvaluation.run(new CleanTime(), heldOut);
        assertEquals(0.5, rule.precision(), "the rule promotes all 16 at a minute; 8 fail promoted");
        assertTrue(learned.precision() > rule.precision(), learned + " against " + rule);
        assertTrue(learned.healthyPromotedShare() >= 0.8 * rule.healthyPromotedShare(), learned + " against " + rule);

        List<Recommendation> heard = new ArrayList<>();
        try (PolicyRunner runner = new PolicyRunner(new TunableStore(), Duration.ofSeconds(5), f -> {
            throw new AssertionError(f.toString());
        })) {
            runner.add(new TierChoice(anomaly, alarm));
            for (var o : heldOut.getFirst().observations()) {
                heard.addAll(runner.round(o.timeMillis(), List.of(o)).recommendations());
            }
        }
        assertEquals(Recommendation.Action.PROMOTE, heard.getFirst().action());
        assertEquals(TierChoice.NAME, heard.getFirst().policy());
        assertTrue(heard.getFirst().reason().startsWith("60 s without a restart or a fault"), heard.getFirst()
                .reason());
    }
}
