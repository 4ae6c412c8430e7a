package dev.atomic.policy.learned;

import dev.atomic.policy.Judging;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.eval.Evaluation;
import dev.atomic.policy.eval.Outcome;
import dev.atomic.policy.traces.Trace;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses a model's alarm on the training traces (never on the held-out ones): of thresholds at the upper quantiles
 * of its scores and 1 to 3 ticks in a row, the alarm with the best F1 (the harmonic mean of precision and recall) as
 * {@link Evaluation} scores it. Each tick is scored once; the candidates replay the scores.
 * {@link #early} chooses an early warning instead: over lower thresholds too, the best F1 among the alarms whose
 * median lead on the training traces is positive (most faults it finds, it finds before they fail).
 */
public final class Calibration {
    private static final double[] QUANTILES = {0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999};
    private static final double[] EARLY_QUANTILES = {0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99,
            0.995, 0.998, 0.999};
    private static final int MAX_TICKS = 3;

    private Calibration() {
    }

    public static Alarm choose(Scorer scorer, List<Trace> training) {
        return choose(scorer, training, QUANTILES, false);
    }

    /**
     * An alarm that warns before the failure: the best F1 among the candidates with a positive median lead on the
     * training traces (the plain F1 choice when none has one).
     */
    public static Alarm early(Scorer scorer, List<Trace> training) {
        return choose(scorer, training, EARLY_QUANTILES, true);
    }

    private static Alarm choose(Scorer scorer, List<Trace> training, double[] quantiles, boolean early) {
        Map<String, Map<Long, Double>> scores = new HashMap<>();
        for (Examples.Tick t : Examples.of(training).ticks()) {
            scores.computeIfAbsent(t.trace().component(), c -> new HashMap<>()).put(t.timeMillis(),
                    scorer.score(t.features()));
        }
        double[] all = scores.values().stream().flatMap(m -> m.values().stream()).mapToDouble(d -> d).sorted()
                .toArray();
        Alarm best = null;
        double bestF1 = -1;
        Alarm bestEarly = null;
        double bestEarlyF1 = -1;
        for (double q : quantiles) {
            double threshold = all[(int) Math.min(all.length - 1, Math.floor(q * all.length))];
            for (int ticks = 1; ticks <= MAX_TICKS; ticks++) {
                Alarm a = new Alarm(threshold, ticks);
                Outcome o = Evaluation.run(new Replay(scores, a), training);
                double f1 = f1(o);
                if (f1 > bestF1) {
                    bestF1 = f1;
                    best = a;
                }
                if (early && o.medianLead() > 0 && f1 > bestEarlyF1) {
                    bestEarlyF1 = f1;
                    bestEarly = a;
                }
            }
        }
        return bestEarly != null ? bestEarly : best;
    }

    static double f1(Outcome o) {
        double p = o.precision();
        double r = o.recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Scores already computed, alarmed on by the live rule. */
    private static final class Replay extends Judging {
        private final Map<String, Map<Long, Double>> scores;
        private final Alarm alarm;
        private final Map<String, Alarm.Run> runs = new HashMap<>();

        Replay(Map<String, Map<Long, Double>> scores, Alarm alarm) {
            this.scores = scores;
            this.alarm = alarm;
        }

        @Override
        public String name() {
            return "replay";
        }

        @Override
        protected Recommendation judge(Observation o) {
            Double s = scores.getOrDefault(o.component(), Map.of()).get(o.timeMillis());
            if (s == null || !runs.computeIfAbsent(o.component(), c -> new Alarm.Run()).next(alarm, s)) {
                return null;
            }
            return recommend(o, Recommendation.Action.WATCH, 1, "replayed");
        }
    }
}
