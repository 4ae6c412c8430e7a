package dev.atomic.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy that judges each observation as it comes, alone: what it finds is recommended at the next
 * {@link #decide}. The shape of the fixed thresholds and of the learned policies alike.
 */
public abstract class Judging implements Policy {
    private final List<Recommendation> found = new ArrayList<>();

    /** The recommendation this observation calls for, or null. */
    protected abstract Recommendation judge(Observation o);

    @Override
    public final void observe(Observation o) {
        Recommendation r = judge(o);
        if (r != null) {
            found.add(r);
        }
    }

    @Override
    public final Decision decide(long nowMillis) {
        if (found.isEmpty()) {
            return Decision.NONE;
        }
        Decision d = Decision.recommend(found);
        found.clear();
        return d;
    }

    protected Recommendation recommend(Observation o, Recommendation.Action action, double confidence, String why) {
        return new Recommendation(o.component(), action, confidence, why, name());
    }
}
