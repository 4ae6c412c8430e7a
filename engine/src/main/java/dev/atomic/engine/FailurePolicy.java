package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.ScoringPolicy;
import dev.atomic.policy.live.FailureModelCache;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Policy 2 in the running Engine: the failure model (a random forest trained offline, {@link FailureModelCache}) on
 * the live observations. Its alarm is a recommendation to pre-warm a spare, with what it concluded and why; for a
 * component of the system, it also sets {@code proactive.<id>} to the most the operator allows, so that the Engine
 * checkpoints it now and, where allowed, restarts it, planned, before it fails. The tunable decays within seconds
 * once the alarm stops.
 */
final class FailurePolicy implements Policy {
    private final ScoringPolicy scoring;
    private final Set<String> members;
    private final int level;

    FailurePolicy(FailureModelCache.Trained trained, Set<String> members, int level) {
        this.scoring = new ScoringPolicy(Experiment.FAILURE, trained.model(), trained.alarm(),
                Recommendation.Action.PREWARM_SPARE);
        this.members = Set.copyOf(members);
        this.level = level;
    }

    @Override
    public String name() {
        return Experiment.FAILURE;
    }

    @Override
    public void observe(Observation o) {
        scoring.observe(o);
    }

    @Override
    public Decision decide(long nowMillis) {
        Decision d = scoring.decide(nowMillis);
        List<Decision.Setting> settings = new ArrayList<>();
        for (Recommendation r : d.recommendations()) {
            if (members.contains(r.component()) && level > EngineTunables.ADVISE) {
                settings.add(new Decision.Setting(EngineTunables.PROACTIVE + r.component(), level, r.reason()));
            }
        }
        return new Decision(settings, d.recommendations());
    }
}
