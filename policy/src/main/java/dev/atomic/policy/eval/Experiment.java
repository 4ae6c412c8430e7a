package dev.atomic.policy.eval;

import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.learned.Alarm;
import dev.atomic.policy.learned.AnomalyModel;
import dev.atomic.policy.learned.Calibration;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.learned.ScoringPolicy;
import dev.atomic.policy.sizing.LearnedSizing;
import dev.atomic.policy.sizing.MaxSeenSizing;
import dev.atomic.policy.sizing.SizingEvaluation;
import dev.atomic.policy.thresholds.AnyOf;
import dev.atomic.policy.tier.CleanTime;
import dev.atomic.policy.tier.TierChoice;
import dev.atomic.policy.tier.TierEvaluation;
import dev.atomic.policy.thresholds.LeakRule;
import dev.atomic.policy.thresholds.Oomd;
import dev.atomic.policy.thresholds.StaticLimits;
import dev.atomic.policy.traces.Scenario;
import dev.atomic.policy.traces.Trace;
import dev.atomic.policy.traces.TraceGenerator;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * The offline evaluation: policies 1 (anomaly), 2 (failure) and 3 (sizing) trained and calibrated on the traces of
 * one set of seeds, then every detector, learned or fixed, replayed over the traces of other seeds. Each fixed
 * threshold is judged on the faults it is meant for (with every healthy and noisy trace, where its false alarms
 * show) and all of them together on everything. Policy 3 is judged beside the manifest's static sizes and a fixed
 * rule (1.5 times the highest seen), policy 5 (tier choice, scored by policy 1) beside a minute without a fault.
 */
public final class Experiment {
    public static final String ANOMALY = "anomaly";
    public static final String FAILURE = "failure";

    /** A set of held-out traces and the detectors it judges. */
    public enum Subset {
        MEMORY("leaks", EnumSet.of(Scenario.LEAK)),
        RATES("storms, hangs and crash loops", EnumSet.of(Scenario.STORM, Scenario.HANG, Scenario.CRASH_LOOP)),
        ALL("every fault", EnumSet.of(Scenario.LEAK, Scenario.STORM, Scenario.HANG, Scenario.CRASH_LOOP));

        public final String faults;
        private final Set<Scenario> scenarios;

        Subset(String faults, Set<Scenario> scenarios) {
            this.faults = faults;
            this.scenarios = scenarios;
        }

        List<Trace> of(List<Trace> traces) {
            return traces.stream().filter(t -> !t.scenario().fails || scenarios.contains(t.scenario())).toList();
        }
    }

    /**
     * Each detector's outcome per subset, each sizing policy's ({@link #STATIC}, {@link #MAX_SEEN},
     * {@link LearnedSizing#NAME}) and each tier policy's ({@link #CLEAN_TIME}, {@link TierChoice#NAME}) on the
     * held-out traces, the alarms chosen on the training seeds, and how long training took.
     */
    public record Result(Map<Subset, Map<String, Outcome>> outcomes, Map<String, SizingEvaluation.Outcome> sizing,
                         Map<String, TierEvaluation> tiers, Alarm anomalyAlarm, Alarm failureAlarm,
                         int trainingTraces, int heldOutTraces, long trainingMillis) {
    }

    public static final String STATIC = "static";
    public static final String MAX_SEEN = "max-seen";
    public static final String CLEAN_TIME = "clean-time";

    private final List<Long> trainingSeeds;
    private final List<Long> heldOutSeeds;

    public Experiment(List<Long> trainingSeeds, List<Long> heldOutSeeds) {
        if (trainingSeeds.stream().anyMatch(heldOutSeeds::contains)) {
            throw new IllegalArgumentException("a held-out seed was trained on");
        }
        this.trainingSeeds = List.copyOf(trainingSeeds);
        this.heldOutSeeds = List.copyOf(heldOutSeeds);
    }

    /** Seeds 1 to {@code training} to train on; the held-out ones from 20001 (10001.. served to develop the features). */
    public static Experiment seeds(int training, int heldOut) {
        return new Experiment(LongStream.rangeClosed(1, training).boxed().toList(),
                LongStream.range(20_001, 20_001 + heldOut).boxed().toList());
    }

    public static List<Trace> traces(List<Long> seeds) {
        return seeds.stream().flatMap(s -> new TraceGenerator(s).set().stream()).toList();
    }

    public Result run() {
        List<Trace> training = traces(trainingSeeds);
        List<Trace> heldOut = traces(heldOutSeeds);
        long start = System.nanoTime();
        AnomalyModel anomaly = AnomalyModel.train(training);
        Alarm anomalyAlarm = Calibration.early(anomaly, training);
        FailureModel failure = FailureModel.train(training);
        Alarm failureAlarm = Calibration.choose(failure, training);
        LearnedSizing sizing = LearnedSizing.train(training);
        long trainingMillis = (System.nanoTime() - start) / 1_000_000;
        Map<String, Supplier<Policy>> detectors = new LinkedHashMap<>();
        detectors.put(ANOMALY, () -> new ScoringPolicy(ANOMALY, anomaly, anomalyAlarm, Recommendation.Action.WATCH));
        detectors.put(FAILURE, () -> new ScoringPolicy(FAILURE, failure, failureAlarm,
                Recommendation.Action.PREWARM_SPARE));
        detectors.put("oomd", Oomd::new);
        detectors.put("static-limits", StaticLimits::new);
        detectors.put("leak-rule", LeakRule::new);
        detectors.put("all-thresholds", AnyOf::all);
        Map<Subset, Map<String, Outcome>> outcomes = new LinkedHashMap<>();
        for (Subset s : Subset.values()) {
            Map<String, Outcome> bySubset = new LinkedHashMap<>();
            detectors.forEach((name, d) -> bySubset.put(name, Evaluation.run(d.get(), s.of(heldOut))));
            outcomes.put(s, bySubset);
        }
        Map<String, SizingEvaluation.Outcome> sized = new LinkedHashMap<>();
        sized.put(STATIC, SizingEvaluation.run(STATIC, null, heldOut));
        sized.put(MAX_SEEN, SizingEvaluation.run(MAX_SEEN, new MaxSeenSizing(), heldOut));
        sized.put(LearnedSizing.NAME, SizingEvaluation.run(LearnedSizing.NAME, sizing, heldOut));
        Map<String, TierEvaluation> tiers = new LinkedHashMap<>();
        tiers.put(CLEAN_TIME, TierEvaluation.run(new CleanTime(), heldOut));
        tiers.put(TierChoice.NAME, TierEvaluation.run(new TierChoice(anomaly, anomalyAlarm), heldOut));
        return new Result(outcomes, sized, tiers, anomalyAlarm, failureAlarm, training.size(), heldOut.size(),
                trainingMillis);
    }
}
