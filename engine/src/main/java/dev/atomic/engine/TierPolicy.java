package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.tier.Promotion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policy 5 in the running Engine: its advice as it stands ({@code TierChoice}'s promotions and demotions), and its
 * word as the tunable {@code tier.<id>} ({@link TierActions} acts on it). A component it demotes is set to the most
 * distrust the operator allows, refreshed every round while the demotion stands (so that it decays back to the
 * manifest's should the policy stop); its next promotion (a clean period: {@code Promotion.CLEAN_TICKS} seconds
 * without a restart, a fault or an anomalous tick) lifts it, set back to 0. A promotion never sets more trust than
 * that: 0 is the manifest's own.
 * <p>
 * A component whose Tier 1 is earned ({@code tier-earned}) starts demoted (its tunable's default is the most
 * distrust); once promoted, its 0 is refreshed every round like a demotion, so that it decays back out of Tier 1
 * should the policy stop.
 * <p>
 * A component that shares its process (Tier 1, in its kernel's partition host) is observed as that process: its
 * neighbours' growth or stall is its own anomaly score. It is demoted on its own restarts and faults only; policy
 * 1's alarm on it stays advice.
 */
final class TierPolicy implements Policy {
    private final Policy choice;
    private final int distrust;
    /** The components it demoted, each with why. */
    private final Map<String, String> demoted = new LinkedHashMap<>();
    private final Set<String> earning;
    /** The components whose Tier 1 is earned that it promoted, each with why. */
    private final Map<String, String> promoted = new LinkedHashMap<>();
    /** The components observed through a process they share, this round. */
    private Set<String> sharing = Set.of();

    /** @param distrust the operator's ceiling ({@link EngineTunables#tierCeiling}): 0, advice only */
    TierPolicy(Policy choice, int distrust) {
        this(choice, distrust, Set.of());
    }

    /** @param earning the components whose Tier 1 is earned: demoted until it promotes them */
    TierPolicy(Policy choice, int distrust, Set<String> earning) {
        this.choice = choice;
        this.distrust = distrust;
        this.earning = Set.copyOf(earning);
        earning.forEach(c -> demoted.put(c, "its Tier 1 is earned, and it has not been promoted yet"));
    }

    @Override
    public String name() {
        return choice.name();
    }

    @Override
    public void observe(Observation o) {
        choice.observe(o);
    }

    /** On the loop's thread, before a round: which components share their process with another. */
    void sharing(Set<String> components) {
        sharing = Set.copyOf(components);
    }

    @Override
    public Decision decide(long nowMillis) {
        Decision d = choice.decide(nowMillis);
        List<Decision.Setting> settings = new ArrayList<>();
        for (Recommendation r : d.recommendations()) {
            if (r.action() == Recommendation.Action.DEMOTE && (!sharing.contains(r.component())
                    || r.reason().startsWith(Promotion.RESTARTED) || r.reason().startsWith(Promotion.FAULTED))) {
                demoted.put(r.component(), r.reason());
                promoted.remove(r.component());
            } else if (r.action() == Recommendation.Action.PROMOTE && demoted.remove(r.component()) != null
                    && distrust > 0) {
                if (earning.contains(r.component())) {
                    promoted.put(r.component(), r.reason());
                } else {
                    settings.add(new Decision.Setting(EngineTunables.TIER + r.component(), 0, "its demotion lifted: "
                            + r.reason()));
                }
            }
        }
        if (distrust > 0) {
            promoted.forEach((c, why) -> settings.add(new Decision.Setting(EngineTunables.TIER + c, 0,
                    "promoted: it earned Tier 1: " + why)));
        }
        if (distrust > 0) {
            demoted.forEach((c, why) -> settings.add(new Decision.Setting(EngineTunables.TIER + c, -distrust,
                    "demoted: " + why)));
        }
        return new Decision(settings, d.recommendations());
    }
}
