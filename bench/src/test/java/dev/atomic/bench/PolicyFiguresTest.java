package dev.atomic.bench;

import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.eval.Experiment.Subset;
import dev.atomic.policy.eval.Outcome;
import dev.atomic.policy.learned.Alarm;
import dev.atomic.policy.sizing.LearnedSizing;
import dev.atomic.policy.sizing.SizingEvaluation;
import dev.atomic.policy.tier.TierChoice;
import dev.atomic.policy.tier.TierEvaluation;
import dev.atomic.policy.traces.Scenario;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyFiguresTest {
    /** An outcome of {@code detected} of 10 leaks in time, with these leads and false alarms. */
    private static Outcome outcome(String name, int detected, int falseAlarms, List<Double> leads) {
        Map<Scenario, int[]> by = new EnumMap<>(Scenario.class);
        by.put(Scenario.LEAK, new int[]{10, detected});
        by.put(Scenario.NOISY, new int[]{0, 0});
        return new Outcome(name, 10, detected, 1, falseAlarms, leads, by, Map.of(Scenario.NOISY, falseAlarms));
    }

    private static Experiment.Result result(Outcome anomaly, Outcome failure, Outcome baseline) {
        return result(anomaly, failure, baseline, sized(0, 10, 2), new TierEvaluation("tier", 8, 1, 4, 100, 80));
    }

    /** A sizing outcome over 1000 ticks of 10 components; the rule's: no kill, 60 MiB unused, 5 ticks throttled. */
    private static SizingEvaluation.Outcome sized(int kills, double unusedMiB, int throttled) {
        return new SizingEvaluation.Outcome(LearnedSizing.NAME, kills, kills, unusedMiB, throttled, 0.2, 1000, 10, 0);
    }

    private static Experiment.Result result(Outcome anomaly, Outcome failure, Outcome baseline,
                                            SizingEvaluation.Outcome sizing, TierEvaluation tier) {
        Map<String, SizingEvaluation.Outcome> sized = new LinkedHashMap<>();
        sized.put(Experiment.STATIC, new SizingEvaluation.Outcome(Experiment.STATIC, 0, 0, 150, 0, 1.8, 1000, 10, 0));
        sized.put(Experiment.MAX_SEEN, new SizingEvaluation.Outcome(Experiment.MAX_SEEN, 0, 0, 60, 5, 0.3, 1000, 10,
                0));
        sized.put(LearnedSizing.NAME, sizing);
        Map<String, TierEvaluation> tiers = new LinkedHashMap<>();
        tiers.put(Experiment.CLEAN_TIME, new TierEvaluation(Experiment.CLEAN_TIME, 8, 4, 4, 100, 85));
        tiers.put(TierChoice.NAME, tier);
        Map<Subset, Map<String, Outcome>> all = new EnumMap<>(Subset.class);
        for (Subset s : Subset.values()) {
            Map<String, Outcome> m = new LinkedHashMap<>();
            m.put(Experiment.ANOMALY, anomaly);
            m.put(Experiment.FAILURE, failure);
            for (String d : List.of("oomd", "static-limits", "leak-rule", "all-thresholds")) {
                m.put(d, baseline);
            }
            all.put(s, m);
        }
        return new Experiment.Result(all, sized, tiers, new Alarm(1, 1), new Alarm(0.9, 2), 80, 80, 1000);
    }

    private static Figure named(List<Figure> figures, String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError("no figure " + name + " in " + figures.stream().map(Figure::name).toList()));
    }

    @Test
    void higherRecallAtEqualPrecisionAndAPositiveLeadMeetTheTargets() {
        List<Figure> f = PolicyFigures.build(result(outcome("anomaly", 9, 1, List.of(10.0, 20.0, 30.0)),
                outcome("failure", 5, 5, List.of(-1.0, 0.0, 0.0)), outcome("oomd", 6, 2, List.of(0.0))));
        Figure recall = named(f, "anomaly recall, leaks");
        assertEquals(90.0, recall.value());
        assertEquals(60.0, recall.baseline());
        assertTrue(recall.met());
        assertTrue(recall.note().contains("9 of 10 faults detected in time (leak 9/10), 1 found only after the "
                + "failure, 1 false alarm(s) (on noisy 1)"), recall.note());
        Figure precision = named(f, "anomaly precision, leaks");
        assertEquals(90.0, precision.value());
        assertEquals(75.0, precision.baseline());
        assertTrue(precision.met());
        assertTrue(named(f, "anomaly median lead, every fault").met());
        assertEquals(20.0, named(f, "anomaly median lead, every fault").value());

        assertFalse(named(f, "failure recall, storms, hangs and crash loops").met(), "50% against 60%");
        assertFalse(named(f, "failure precision, every fault").met());
        assertFalse(named(f, "failure median lead, every fault").met(), "a median of 0 s is no warning");
        assertEquals(60.0, named(f, "oomd recall, leaks").value());
        assertEquals(null, named(f, "oomd recall, leaks").met(), "a baseline is for information");
    }

    @Test
    void aPolicyThatDetectedNothingHasNoLeadAndSaysWhy() {
        List<Figure> f = PolicyFigures.build(result(outcome("anomaly", 0, 0, List.of()),
                outcome("failure", 0, 0, List.of()), outcome("oomd", 0, 0, List.of())));
        Figure lead = named(f, "anomaly median lead, every fault");
        assertEquals(null, lead.value());
        assertEquals("it detected no fault in time", lead.note());
        assertFalse(named(f, "anomaly recall, leaks").met(), "0% is not more than 0%");
    }

    @Test
    void sizingMeetsItsTargetsOnlyWithoutMoreKillsOrThrottlingThanTheRule() {
        Outcome o = outcome("x", 5, 0, List.of(1.0));
        List<Figure> good = PolicyFigures.build(result(o, o, o, sized(0, 10, 2),
                new TierEvaluation("tier", 8, 1, 4, 100, 80)));
        assertTrue(named(good, "sizing memory kills, healthy stretches").met());
        Figure unused = named(good, "sizing memory reserved unused, healthy stretches");
        assertEquals(60.0, unused.baseline());
        assertTrue(unused.met(), "10 MiB against the rule's 60");
        assertTrue(named(good, "sizing CPU throttled, healthy stretches").met(), "0.2% against the rule's 0.5%");
        assertTrue(named(good, "sizing CPU reserved unused, healthy stretches").met());
        List<Figure> bad = PolicyFigures.build(result(o, o, o, sized(1, 40, 6),
                new TierEvaluation("tier", 8, 1, 4, 100, 80)));
        assertFalse(named(bad, "sizing memory kills, healthy stretches").met(), "a kill the rule did not make");
        assertFalse(named(bad, "sizing memory reserved unused, healthy stretches").met(), "40 MiB is over half of 60");
        assertFalse(named(bad, "sizing CPU throttled, healthy stretches").met());
    }

    @Test
    void tierChoiceMeetsItsTargetsWithPromotionsThatHoldAndNearlyAsMuchTimePromoted() {
        Outcome o = outcome("x", 5, 0, List.of(1.0));
        List<Figure> good = PolicyFigures.build(result(o, o, o, sized(0, 10, 2),
                new TierEvaluation("tier", 8, 1, 4, 100, 80)));
        Figure precision = named(good, "tier promotion precision");
        assertEquals(87.5, precision.value());
        assertEquals(50.0, precision.baseline());
        assertTrue(precision.met());
        assertTrue(named(good, "tier time promoted, healthy components").met(), "80% against 85%: at least 0.9x");
        List<Figure> timid = PolicyFigures.build(result(o, o, o, sized(0, 10, 2),
                new TierEvaluation("tier", 2, 0, 4, 100, 20)));
        assertTrue(named(timid, "tier promotion precision").met());
        assertFalse(named(timid, "tier time promoted, healthy components").met(), "precision bought by not promoting");
    }
}
