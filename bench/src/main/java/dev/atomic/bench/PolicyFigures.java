package dev.atomic.bench;

import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.eval.Experiment.Subset;
import dev.atomic.policy.eval.Outcome;
import dev.atomic.policy.sizing.LearnedSizing;
import dev.atomic.policy.sizing.SizingEvaluation;
import dev.atomic.policy.tier.TierChoice;
import dev.atomic.policy.tier.TierEvaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The policy benchmark's figures: each learned policy's recall and precision on held-out traces beside each fixed
 * threshold's, on the faults that threshold is meant for (issue 7: higher recall at equal or better precision), and
 * each policy's median lead over every fault (positive: warned before the failure); policy 3's sizes and policy 5's
 * promotions beside their fixed rules.
 */
final class PolicyFigures {
    static final String PERCENT = "%";
    static final String SECONDS = "s";
    static final String KILLS = "kills";
    static final String MIB = "MiB";
    static final String CPUS = "CPUs";
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
        sizing(r.sizing(), figures);
        tiers(r.tiers(), figures);
        Outcome leakRule = r.outcomes().get(Subset.MEMORY).get("leak-rule");
        figures.add(Figure.info(name("leak-rule", "recall", Subset.MEMORY), percent(leakRule.recall()), PERCENT,
                "the Engine's own leak rule, for information; " + counts(leakRule)));
        figures.add(Figure.info(name("leak-rule", "precision", Subset.MEMORY), percent(leakRule.precision()),
                PERCENT, null));
        return figures;
    }

    /**
     * Policy 3 beside the fixed rule (1.5 times the highest seen) on the held-out healthy stretches: no more kills or
     * throttling than the rule, and at most half the memory it reserves unused (no more CPU).
     */
    private static void sizing(Map<String, SizingEvaluation.Outcome> sized, List<Figure> figures) {
        SizingEvaluation.Outcome learned = sized.get(LearnedSizing.NAME);
        SizingEvaluation.Outcome rule = sized.get(Experiment.MAX_SEEN);
        figures.add(Target.absolute(rule.kills(), KILLS).because("no more than the max-seen rule's")
                .judge(sized(learned.policy(), "memory kills"), (double) learned.kills(), KILLS, null, null)
                .withNote(sizingCounts(learned)));
        figures.add(Target.atMost(0.5, sized(rule.policy(), "memory reserved unused")).because("at most half the rule's")
                .judge(sized(learned.policy(), "memory reserved unused"), mib(learned), MIB, mib(rule), null));
        figures.add(Target.absolute(percent(rule.throttledShare()), PERCENT).because("no more than the max-seen rule's")
                .judge(sized(learned.policy(), "CPU throttled"), percent(learned.throttledShare()), PERCENT, null,
                        null));
        figures.add(Target.atMost(1, sized(rule.policy(), "CPU reserved unused")).judge(sized(learned.policy(),
                "CPU reserved unused"), cpus(learned), CPUS, cpus(rule), null));
        for (String base : List.of(Experiment.MAX_SEEN, Experiment.STATIC)) {
            SizingEvaluation.Outcome o = sized.get(base);
            figures.add(Figure.info(sized(base, "memory kills"), (double) o.kills(), KILLS, sizingCounts(o)));
            figures.add(Figure.info(sized(base, "memory reserved unused"), mib(o), MIB, null));
            figures.add(Figure.info(sized(base, "CPU throttled"), percent(o.throttledShare()), PERCENT, null));
            figures.add(Figure.info(sized(base, "CPU reserved unused"), cpus(o), CPUS, null));
        }
    }

    /** Policy 5 beside a minute without a fault: promotions that hold more often, nearly as much time promoted. */
    private static void tiers(Map<String, TierEvaluation> tiers, List<Figure> figures) {
        TierEvaluation learned = tiers.get(TierChoice.NAME);
        TierEvaluation rule = tiers.get(Experiment.CLEAN_TIME);
        figures.add(Target.moreThan(1, promotion(rule.policy())).judge(promotion(learned.policy()),
                percent(learned.precision()), PERCENT, percent(rule.precision()), null).withNote(tierCounts(learned)));
        figures.add(Target.atLeast(0.9, promoted(rule.policy())).because("promotes nearly as much as the rule")
                .judge(promoted(learned.policy()), percent(learned.healthyPromotedShare()), PERCENT,
                        percent(rule.healthyPromotedShare()), null));
        figures.add(Figure.info(promotion(rule.policy()), percent(rule.precision()), PERCENT, tierCounts(rule)));
        figures.add(Figure.info(promoted(rule.policy()), percent(rule.healthyPromotedShare()), PERCENT, null));
    }

    private static String sized(String policy, String what) {
        return policy + " " + what + ", healthy stretches";
    }

    private static String promotion(String policy) {
        return policy + " promotion precision";
    }

    private static String promoted(String policy) {
        return policy + " time promoted, healthy components";
    }

    private static Double mib(SizingEvaluation.Outcome o) {
        return Target.significant(o.unusedMemoryMiB());
    }

    private static Double cpus(SizingEvaluation.Outcome o) {
        return Target.significant(o.unusedCpu());
    }

    private static String sizingCounts(SizingEvaluation.Outcome o) {
        return o.kills() + " kill(s), " + o.killedComponents() + " of " + o.components() + " components killed, "
                + o.throttled() + " throttled tick(s), of " + o.ticks() + " ticks judged; unused: the mean per tick"
                + (o.faults() == 0 ? "" : "; the runner ignored it in " + o.faults() + " round(s)");
    }

    private static String tierCounts(TierEvaluation t) {
        return t.promotions() + " promotions, " + t.failedPromoted() + " failed while promoted (of " + t.faults()
                + " faults)";
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
