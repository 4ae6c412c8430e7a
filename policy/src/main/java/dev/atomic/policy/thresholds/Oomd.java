package dev.atomic.policy.thresholds;

import dev.atomic.policy.Judging;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;

import java.util.HashMap;
import java.util.Map;

/**
 * A systemd-oomd-like memory-pressure threshold, with systemd-oomd's defaults: memory pressure (PSI "some" avg10)
 * at or above 60% for 30 s. Where the host has no PSI it sees nothing, as systemd-oomd would.
 */
public final class Oomd extends Judging {
    static final double LIMIT = 60;
    static final long DURATION_MILLIS = 30_000;

    private final Map<String, Long> aboveSince = new HashMap<>();

    @Override
    public String name() {
        return "oomd";
    }

    @Override
    protected Recommendation judge(Observation o) {
        if (o.psiMemory() < LIMIT) {
            aboveSince.remove(o.component());
            return null;
        }
        long since = aboveSince.computeIfAbsent(o.component(), c -> o.timeMillis());
        if (o.timeMillis() - since < DURATION_MILLIS) {
            return null;
        }
        return recommend(o, Recommendation.Action.RESTART, 1, String.format("memory pressure %.0f%% for %d s "
                + "(at least %.0f%% for %d s)", o.psiMemory(), (o.timeMillis() - since) / 1000, LIMIT,
                DURATION_MILLIS / 1000));
    }
}
