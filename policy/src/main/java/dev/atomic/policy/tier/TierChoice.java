package dev.atomic.policy.tier;

import dev.atomic.policy.Observation;
import dev.atomic.policy.learned.Alarm;
import dev.atomic.policy.learned.Features;
import dev.atomic.policy.learned.Scorer;

import java.util.HashMap;
import java.util.Map;

/**
 * Policy 5: tier and fast-path choice, scored by policy 1. As {@link CleanTime}, a minute without a restart or a
 * fault promotes; besides, a tick on which policy 1's model scores the component at or above its alarm's threshold
 * (calibrated on the training traces) is not clean, and policy 1's alarm (that score for as many ticks in a row as the
 * alarm asks) demotes: a component that has started to
 * behave unlike itself leaves Tier 1 and its fast path before it fails there.
 */
public final class TierChoice extends Promotion {
    public static final String NAME = "tier";
    private final Scorer anomaly;
    private final Alarm alarm;
    private final Map<String, Features> features = new HashMap<>();
    private final Map<String, Alarm.Run> runs = new HashMap<>();
    private final Map<String, Double> last = new HashMap<>();

    /** @param alarm policy 1's alarm: its threshold makes a tick unclean, the alarm itself demotes */
    public TierChoice(Scorer anomaly, Alarm alarm) {
        this.anomaly = anomaly;
        this.alarm = alarm;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Doubt doubt(Observation o) {
        Features f = features.computeIfAbsent(o.component(), c -> new Features());
        double[] x = f.next(o);
        if (x == null) {
            return null;
        }
        double score = anomaly.score(x);
        last.put(o.component(), score);
        boolean alarmed = runs.computeIfAbsent(o.component(), c -> new Alarm.Run()).next(alarm, score);
        return score >= alarm.threshold() ? new Doubt(anomaly.meaning(score) + ": " + f.strongest(2), alarmed)
                : null;
    }

    @Override
    protected String promotedBecause(Observation o) {
        Double s = last.get(o.component());
        return super.promotedBecause(o) + (s == null ? "" : ", and like its own baseline (anomaly score "
                + String.format("%.2f", s) + ")");
    }
}
