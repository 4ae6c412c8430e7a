package dev.atomic.bench;

import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.eval.Experiment.Subset;
import dev.atomic.policy.eval.Outcome;
import dev.atomic.policy.learned.Alarm;
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
        return new Experiment.Result(all, new Alarm(1, 1), new Alarm(0.9, 2), 80, 80, 1000);
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
}
