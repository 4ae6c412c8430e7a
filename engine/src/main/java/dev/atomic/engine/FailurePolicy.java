package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.ScoringPolicy;
import dev.atomic.policy.live.FailureModelCache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policy 2 in the running Engine: the failure model (a random forest trained offline, {@link FailureModelCache}) on
 * the live observations. Its alarm is a recommendation to pre-warm a spare, with what it concluded and why; for a
 * component of the system, it also sets {@code proactive.<id>}: a checkpoint at once, and a planned restart (where
 * the operator allows one) only once the alarm has held {@link #SUSTAINED} rounds in a row. When {@link #HOST_WIDE}
 * or more components alarm in the same round, the host stalled (everyone's progress and CPU dropped together): that
 * is no component's failure, and nothing is done beyond the advice. The tunable decays within seconds once the
 * alarm stops.
 */
final class FailurePolicy implements Policy {
    static final int SUSTAINED = 3;
    static final int HOST_WIDE = 3;

    private final ScoringPolicy scoring;
    private final Set<String> members;
    private final int ceiling;
    /** Per component: rounds in a row it alarmed. */
    private final Map<String, Integer> held = new HashMap<>();

    FailurePolicy(FailureModelCache.Trained trained, Set<String> members, int ceiling) {
        this.scoring = new ScoringPolicy(Experiment.FAILURE, trained.model(), trained.alarm(),
                Recommendation.Action.PREWARM_SPARE);
        this.members = Set.copyOf(members);
        this.ceiling = ceiling;
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
        Map<String, Recommendation> alarmed = new LinkedHashMap<>();
        d.recommendations().stream().filter(r -> members.contains(r.component()))
                .forEach(r -> alarmed.put(r.component(), r));
        held.keySet().retainAll(alarmed.keySet());
        alarmed.keySet().forEach(c -> held.merge(c, 1, Integer::sum));
        List<Decision.Setting> settings = new ArrayList<>();
        if (alarmed.size() < HOST_WIDE) {
            alarmed.forEach((c, r) -> {
                int level = Math.min(ceiling, held.get(c) >= SUSTAINED ? EngineTunables.RESTART
                        : EngineTunables.CHECKPOINT);
                if (level > EngineTunables.ADVISE) {
                    settings.add(new Decision.Setting(EngineTunables.PROACTIVE + c, level, r.reason() + " ("
                            + held.get(c) + " s in a row)"));
                }
            });
        }
        return new Decision(settings, d.recommendations());
    }
}
