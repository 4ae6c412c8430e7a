package dev.atomic.policy.thresholds;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;

import java.util.ArrayList;
import java.util.List;

/** Several fixed thresholds as one: whatever any of them finds. */
public final class AnyOf implements Policy {
    private final String name;
    private final List<Policy> parts;

    public AnyOf(String name, Policy... parts) {
        this.name = name;
        this.parts = List.of(parts);
    }

    /** Every fixed threshold: the oomd-like pressure limit, the static rate limits and the Engine's leak rule. */
    public static AnyOf all() {
        return new AnyOf("all-thresholds", new Oomd(), new StaticLimits(), new LeakRule());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void observe(Observation o) {
        parts.forEach(p -> p.observe(o));
    }

    @Override
    public Decision decide(long nowMillis) {
        List<Recommendation> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(p.decide(nowMillis).recommendations()));
        return Decision.recommend(all);
    }
}
