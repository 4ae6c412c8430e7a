package dev.atomic.policy.tier;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.traces.Trace;

import java.util.List;

/**
 * Replays traces through a tier policy, one observation at a time, and scores its promotions against the labels. A
 * promotion fails when the component fails while still promoted (in Tier 1, on its fast path: where a failure
 * costs most); it holds otherwise (demoted before its failure, or it never failed). What promotion is for shows on
 * the healthy and noisy traces: the share of their ticks spent promoted.
 *
 * @param promotions         promotions made
 * @param failedPromoted     promotions whose component failed while still promoted
 * @param faults             faulty traces
 * @param healthyTicks       ticks of the healthy and noisy traces
 * @param healthyPromoted    those spent promoted
 */
public record TierEvaluation(String policy, int promotions, int failedPromoted, int faults, long healthyTicks,
                             long healthyPromoted) {

    /** Promotions that held, among all made; 0 when none was made. */
    public double precision() {
        return promotions == 0 ? 0 : 1 - (double) failedPromoted / promotions;
    }

    /** Faults that struck while promoted, among all faults. */
    public double failedPromotedShare() {
        return faults == 0 ? 0 : (double) failedPromoted / faults;
    }

    /** The healthy traces' ticks spent promoted. */
    public double healthyPromotedShare() {
        return healthyTicks == 0 ? 0 : (double) healthyPromoted / healthyTicks;
    }

    public static TierEvaluation run(Policy policy, List<Trace> traces) {
        int promotions = 0;
        int failed = 0;
        int faults = 0;
        long healthyTicks = 0;
        long healthyPromoted = 0;
        for (Trace t : traces) {
            boolean faulty = t.failureMillis() >= 0;
            faults += faulty ? 1 : 0;
            boolean promoted = false;
            boolean judged = false;
            for (Observation o : t.observations()) {
                if (faulty && !judged && o.timeMillis() >= t.failureMillis()) {
                    judged = true; // judged before the policy sees the failure's own tick: a demotion then is late
                    failed += promoted ? 1 : 0;
                }
                policy.observe(o);
                Decision d = policy.decide(o.timeMillis());
                for (Recommendation r : d.recommendations()) {
                    if (!r.component().equals(t.component())) {
                        continue;
                    }
                    if (r.action() == Recommendation.Action.PROMOTE && !promoted) {
                        promoted = true;
                        promotions++;
                    } else if (r.action() == Recommendation.Action.DEMOTE) {
                        promoted = false;
                    }
                }
                if (!t.scenario().fails) {
                    healthyTicks++;
                    healthyPromoted += promoted ? 1 : 0;
                }
            }
        }
        return new TierEvaluation(policy.name(), promotions, failed, faults, healthyTicks, healthyPromoted);
    }
}
