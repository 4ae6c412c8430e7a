package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.AnomalyModel;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.learned.ScoringPolicy;
import dev.atomic.policy.live.ModelCache;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A learned alarm in the running Engine: a model trained offline ({@link ModelCache}) on the live observations, its
 * alarm a recommendation with what it concluded and why, and for a component of the system a level of its
 * per-component tunable: one level at once, a higher one only once the alarm has held {@link #SUSTAINED} rounds in a
 * row ({@link ProactiveActions} acts on it). When {@link #HOST_WIDE} or more components alarm in the same round, the
 * host stalled (everyone's progress and CPU dropped together): that is no component's fault, and nothing is done
 * beyond the advice. The tunable decays within seconds once the alarm stops.
 * <ul>
 * <li>{@link #failure}, policy 2: failing within 30 s; a spare recommended, {@code proactive.<id>} a checkpoint at
 * once and a planned restart once it holds.</li>
 * <li>{@link #anomaly}, policy 1: an early warning that it behaves unlike its own baseline; {@code warning.<id>} a
 * checkpoint once it holds, never more (nothing has failed).</li>
 * </ul>
 */
final class AlarmPolicy implements Policy {
    static final int SUSTAINED = 3;
    static final int HOST_WIDE = 3;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final ScoringPolicy scoring;
    private final Set<String> members;
    private final String tunable;
    private final int atOnce;
    private final int onceHeld;
    private final UnaryOperator<Recommendation> said;
    /** Per component: rounds in a row it alarmed. */
    private final Map<String, Integer> held = new HashMap<>();

    private AlarmPolicy(ScoringPolicy scoring, Set<String> members, String tunable, int atOnce, int onceHeld,
                        int ceiling, UnaryOperator<Recommendation> said) {
        this.scoring = scoring;
        this.members = Set.copyOf(members);
        this.tunable = tunable;
        this.atOnce = Math.min(ceiling, atOnce);
        this.onceHeld = Math.min(ceiling, onceHeld);
        this.said = said;
    }

    /** Policy 2: a component predicted to fail within 30 s. */
    static AlarmPolicy failure(ModelCache.Trained<FailureModel> t, Set<String> members, int ceiling) {
        return new AlarmPolicy(new ScoringPolicy(Experiment.FAILURE, t.model(), t.alarm(),
                Recommendation.Action.PREWARM_SPARE), members, EngineTunables.PROACTIVE, EngineTunables.CHECKPOINT,
                EngineTunables.RESTART, ceiling, UnaryOperator.identity());
    }

    /** Policy 1: a component that behaves unlike its own baseline, warned of before anything fails. */
    static AlarmPolicy anomaly(ModelCache.Trained<AnomalyModel> t, Set<String> members, int ceiling) {
        return new AlarmPolicy(new ScoringPolicy(Experiment.ANOMALY, t.model(), t.alarm(),
                Recommendation.Action.WATCH), members, EngineTunables.WARNING, EngineTunables.ADVISE,
                EngineTunables.CHECKPOINT, ceiling, r -> new Recommendation(r.component(), r.action(), r.confidence(),
                "early warning (" + CLOCK.format(Instant.now()) + "): it behaves " + r.reason(), r.policy()));
    }

    @Override
    public String name() {
        return scoring.name();
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
                int level = held.get(c) >= SUSTAINED ? onceHeld : atOnce;
                if (level > EngineTunables.ADVISE) {
                    settings.add(new Decision.Setting(tunable + c, level, said.apply(r).reason() + " ("
                            + held.get(c) + " s in a row)"));
                }
            });
        }
        return new Decision(settings, d.recommendations().stream().map(said).toList());
    }
}
