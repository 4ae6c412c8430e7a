package dev.atomic.bench;

import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.eval.Experiment.Subset;
import dev.atomic.policy.eval.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The policy benchmark's figures: each learned policy's recall and precision on held-out traces beside each fixed
 * threshold's, on the faults that threshold is meant for (issue 7: higher recall at equal or better precision), and
 * each policy's median lead over every fault (positive: warned before the failure).
 */
final class PolicyFigures {
    static final String PERCENT = "%";
    static final String SECONDS = "s";
    static final Target LEAD = Target.above(0, SECONDS).because("warned before the failure");

    /** A fixed threshold, and the held-out traces it is judged on. */
    record Baseline(String detector, Subset subset, String says) {
    }

    static final List<Baseline> BASELINES = List.of(
            new Baseline("oomd", Subset.MEMORY, "systemd-oomd-like memory pressure threshold"),
            new Baseline("static-limits", Subset.RATES, "static rate limits"),
            new Baseline("all-thresholds", Subset.ALL, "every fixed threshold together"));
    static final List<String> POLICIES = List.of(Experiment.ANOMALY, Experiment.FAILURE);

    private PolicyFigures() {
    }

    static List<Figure> build(Experiment.Result r) {
        List<Figure> figures = new ArrayList<>();
        for (Baseline b : BASELINES) {
            Map<String, Outcome> on = r.outcomes().get(b.subset);
            Outcome base = on.get(b.detector);
            String recall = name(b.detector, "recall", b.subset);
            String precision = name(b.detector, "precision", b.subset);
            figures.add(Figure.info(recall, percent(base.recall()), PERCENT, b.says + "; " + counts(base)));
            figures.add(Figure.info(precision, percent(base.precision()), PERCENT, null));
            for (String p : POLICIES) {
                Outcome o = on.get(p);
                figures.add(Target.moreThan(1, recall).judge(name(p, "recall", b.subset), percent(o.recall()),
                        PERCENT, percent(base.recall()), null).withNote(counts(o)));
                figures.add(Target.atLeast(1, precision).judge(name(p, "precision", b.subset),
                        percent(o.precision()), PERCENT, percent(base.precision()), null));
            }
        }
        Map<String, Outcome> all = r.outcomes().get(Subset.ALL);
        for (String p : POLICIES) {
            Outcome o = all.get(p);
            figures.add(LEAD.judge(name(p, "median lead", Subset.ALL), lead(o), SECONDS, null,
                    "it detected no fault in time"));
        }
        for (String d : List.of("all-thresholds", "leak-rule", "static-limits", "oomd")) {
            Outcome o = all.get(d);
            figures.add(Figure.info(name(d, "median lead", Subset.ALL), lead(o), SECONDS,
                    o.leadSeconds().isEmpty() ? "it detected no fault in time" : null));
        }
        Outcome leakRule = r.outcomes().get(Subset.MEMORY).get("leak-rule");
        figures.add(Figure.info(name("leak-rule", "recall", Subset.MEMORY), percent(leakRule.recall()), PERCENT,
                "the Engine's own leak rule, for information; " + counts(leakRule)));
        figures.add(Figure.info(name("leak-rule", "precision", Subset.MEMORY), percent(leakRule.precision()),
                PERCENT, null));
        return figures;
    }

    static String name(String detector, String what, Subset subset) {
        return detector + " " + what + ", " + subset.faults;
    }

    private static Double percent(double share) {
        return Target.significant(share * 100);
    }

    private static Double lead(Outcome o) {
        return o.leadSeconds().isEmpty() ? null : Target.significant(o.medianLead());
    }

    /** "57 of 80 detected in time (leak 20/20, hang 17/20...), 11 found late, 1 false alarm (noisy 1)". */
    static String counts(Outcome o) {
        String by = o.detectedBy().entrySet().stream().filter(e -> e.getValue()[0] > 0)
                .map(e -> label(e.getKey()) + " " + e.getValue()[1] + "/" + e.getValue()[0])
                .collect(Collectors.joining(", "));
        String falseOn = o.falseAlarmsOn().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> label(e.getKey()) + " " + e.getValue()).collect(Collectors.joining(", "));
        return o.detected() + " of " + o.faults() + " faults detected in time (" + by + "), " + o.late()
                + " found only after the failure, " + o.falseAlarms() + " false alarm(s)"
                + (falseOn.isEmpty() ? "" : " (on " + falseOn + ")");
    }

    private static String label(dev.atomic.policy.traces.Scenario s) {
        return s.name().toLowerCase().replace('_', ' ');
    }
}
