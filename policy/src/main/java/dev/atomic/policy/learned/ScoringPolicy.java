package dev.atomic.policy.learned;

import dev.atomic.policy.Judging;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;

import java.util.HashMap;
import java.util.Map;

/**
 * A learned policy: each component's features, scored by a model, and an alarm when the score stays at or above
 * the threshold calibrated on training traces; the recommendation says what the model concluded and which of the
 * component's measures stood out most from its own baseline.
 */
public final class ScoringPolicy extends Judging {
    private final String name;
    private final Scorer scorer;
    private final Alarm alarm;
    private final Recommendation.Action action;
    private final Map<String, Features> features = new HashMap<>();
    private final Map<String, Alarm.Run> runs = new HashMap<>();

    public ScoringPolicy(String name, Scorer scorer, Alarm alarm, Recommendation.Action action) {
        this.name = name;
        this.scorer = scorer;
        this.alarm = alarm;
        this.action = action;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected Recommendation judge(Observation o) {
        Features f = features.computeIfAbsent(o.component(), c -> new Features());
        double[] x = f.next(o);
        if (x == null) {
            return null;
        }
        double score = scorer.score(x);
        if (!runs.computeIfAbsent(o.component(), c -> new Alarm.Run()).next(alarm, score)) {
            return null;
        }
        return recommend(o, action, Math.max(0, Math.min(1, score)), scorer.meaning(score) + ": "
                + f.strongest(2));
    }
}
