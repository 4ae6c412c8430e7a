package dev.atomic.policy.tier;

import dev.atomic.policy.Observation;

/**
 * The fixed rule tier choice is measured against: promoted after a minute without a restart or a fault, demoted on
 * the next one (the Engine itself demotes a Tier 1 component failing 3 times in 60 s).
 */
public final class CleanTime extends Promotion {
    @Override
    public String name() {
        return "clean-time";
    }

    @Override
    protected Doubt doubt(Observation o) {
        return null;
    }
}
