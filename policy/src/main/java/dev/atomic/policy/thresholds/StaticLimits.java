package dev.atomic.policy.thresholds;

import dev.atomic.policy.Judging;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Static rate limits, the same for every component whatever its own habits: messages over its rate budget; more
 * than {@link #ERRORS_PER_SECOND} errors a second for {@link #ERRORS_FOR} seconds in a row (an alerting rule's
 * duration, so that one burst of bad requests does not alarm); {@link #RESTART_BURST} restarts within a minute (systemd's
 * StartLimitBurst within StartLimitIntervalSec); and requests waiting while it made no progress for
 * {@link #HANG_AFTER_MILLIS} (the Engine's hang-after).
 */
public final class StaticLimits extends Judging {
    static final long ERRORS_PER_SECOND = 10;
    static final int ERRORS_FOR = 3;
    static final int RESTART_BURST = 3;
    static final long RESTART_WINDOW_MILLIS = 60_000;
    static final long HANG_AFTER_MILLIS = 10_000;

    private static final class Seen {
        long progress = -1;
        long progressAt;
        int erring;
        final ArrayDeque<long[]> restarts = new ArrayDeque<>(); // [time, count]
    }

    private final Map<String, Seen> seen = new HashMap<>();

    @Override
    public String name() {
        return "static-limits";
    }

    @Override
    protected Recommendation judge(Observation o) {
        Seen s = seen.computeIfAbsent(o.component(), c -> new Seen());
        long now = o.timeMillis();
        if (o.progress() != s.progress) {
            s.progress = o.progress();
            s.progressAt = now;
        }
        s.restarts.addLast(new long[]{now, o.restarts()});
        while (now - s.restarts.peekFirst()[0] > RESTART_WINDOW_MILLIS) {
            s.restarts.removeFirst();
        }
        long restarts = o.restarts() - s.restarts.peekFirst()[1];
        if (o.rateBudget() > 0 && o.rate() > o.rateBudget()) {
            return recommend(o, Recommendation.Action.THROTTLE, 1, String.format("%.0f messages/s, over its budget "
                    + "of %d", o.rate(), o.rateBudget()));
        }
        s.erring = o.errors() > ERRORS_PER_SECOND ? s.erring + 1 : 0;
        if (s.erring >= ERRORS_FOR) {
            return recommend(o, Recommendation.Action.WATCH, 1, "over " + ERRORS_PER_SECOND + " errors a second for "
                    + s.erring + " s");
        }
        if (restarts >= RESTART_BURST) {
            return recommend(o, Recommendation.Action.WATCH, 1, restarts + " restarts within a minute");
        }
        if (o.pending() > 0 && now - s.progressAt >= HANG_AFTER_MILLIS) {
            return recommend(o, Recommendation.Action.RESTART, 1, "no progress for " + (now - s.progressAt) / 1000
                    + " s with " + o.pending() + " requests waiting");
        }
        return null;
    }
}
