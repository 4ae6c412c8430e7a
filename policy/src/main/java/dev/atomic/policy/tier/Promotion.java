package dev.atomic.policy.tier;

import dev.atomic.policy.Judging;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;

import java.util.HashMap;
import java.util.Map;

/**
 * What tier choice is made of (issue 7's policy 5): per component, promoted or not, and when it is promoted
 * ({@code PROMOTE}: Tier 1, or a fast path) or demoted ({@code DEMOTE}). A component starts unpromoted; after
 * {@link #CLEAN_TICKS} clean ticks it is promoted; a restart or a fault reported against it demotes it and starts the
 * count again. What else makes a tick unclean, or demotes, is the subclass's to say ({@link #doubt}).
 */
public abstract class Promotion extends Judging {
    /** Clean ticks before a promotion: a minute at the default cadence. */
    public static final int CLEAN_TICKS = 60;
    /** How a demotion for the component's own restart, or a fault reported against it, begins its reason. */
    public static final String RESTARTED = "it restarted";
    public static final String FAULTED = "a fault was reported against it";

    private final Map<String, State> states = new HashMap<>();

    private static final class State {
        long restarts = -1;
        int clean;
        boolean promoted;
    }

    /** Why a tick is not clean, and whether that is reason enough to demote. */
    protected record Doubt(String why, boolean demotes) {
    }

    /** What makes this tick unclean for the component besides a restart or a fault (null: it is clean). */
    protected abstract Doubt doubt(Observation o);

    @Override
    protected final Recommendation judge(Observation o) {
        State s = states.computeIfAbsent(o.component(), c -> new State());
        Doubt doubt = doubt(o);
        boolean restarted = s.restarts >= 0 && o.restarts() > s.restarts;
        s.restarts = o.restarts();
        if (restarted || !o.faults().isEmpty()) {
            doubt = new Doubt(restarted ? RESTARTED : FAULTED + ": " + String.join(", ", o.faults()), true);
        }
        if (doubt != null) {
            s.clean = 0;
            if (s.promoted && doubt.demotes()) {
                s.promoted = false;
                return recommend(o, Recommendation.Action.DEMOTE, 1, doubt.why());
            }
            return null;
        }
        if (++s.clean >= CLEAN_TICKS && !s.promoted) {
            s.promoted = true;
            return recommend(o, Recommendation.Action.PROMOTE, 1, promotedBecause(o));
        }
        return null;
    }

    /** Why it is promoted, in words. */
    protected String promotedBecause(Observation o) {
        return CLEAN_TICKS + " s without a restart or a fault";
    }
}
