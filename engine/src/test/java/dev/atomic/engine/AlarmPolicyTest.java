package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.learned.AnomalyModel;
import dev.atomic.policy.live.ModelCache;
import dev.atomic.policy.traces.Scenario;
import dev.atomic.policy.traces.Trace;
import dev.atomic.policy.traces.TraceGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlarmPolicyTest {
    private static final ModelCache.Trained<FailureModel> MODEL = SmallModels.FAILURE;
    private static final ModelCache.Trained<AnomalyModel> ANOMALY = SmallModels.ANOMALY;

    private static Trace leak(long seed) {
        return new TraceGenerator(seed).set().stream().filter(t -> t.scenario() == Scenario.LEAK).findFirst()
                .orElseThrow();
    }

    /** A trace run through a policy: its first alarm, when, and every decision from that one on. */
    private record Alarmed(Recommendation first, long at, List<Decision> decisions) {
        /** The level each decision from the first alarm on set (0: none). */
        List<Double> levels() {
            return decisions.stream().map(d -> d.settings().isEmpty() ? 0 : d.settings().getFirst().value()).toList();
        }
    }

    private static Alarmed alarmed(AlarmPolicy p, Trace t) {
        Recommendation first = null;
        long at = -1;
        List<Decision> decisions = new ArrayList<>();
        for (var o : t.observations()) {
            p.observe(o);
            Decision d = p.decide(o.timeMillis());
            if (!d.recommendations().isEmpty() && first == null) {
                first = d.recommendations().getFirst();
                at = o.timeMillis();
            }
            if (first != null) {
                decisions.add(d);
            }
        }
        return new Alarmed(first, at, decisions);
    }

    @Test
    void aPredictedFailureOfAMemberCheckpointsAtOnceAndRestartsOnceItHolds() {
        Trace t = leak(20_001);
        Alarmed run = alarmed(AlarmPolicy.failure(MODEL, Set.of(t.component()), EngineTunables.RESTART), t);
        assertTrue(run.first() != null, "the leak was never predicted");
        assertTrue(run.at() < t.failureMillis(), "predicted before it failed");
        for (Decision d : run.decisions()) {
            d.settings().forEach(s -> {
                assertEquals(EngineTunables.PROACTIVE + t.component(), s.tunable());
                assertTrue(s.reason().startsWith(d.recommendations().getFirst().reason()));
            });
        }
        Recommendation first = run.first();
        List<Double> levels = run.levels();
        assertEquals(Recommendation.Action.PREWARM_SPARE, first.action());
        assertTrue(first.reason().startsWith("fails within 30 s with probability"), first.reason());
        assertEquals((double) EngineTunables.CHECKPOINT, levels.getFirst(), "a checkpoint at once");
        int restart = levels.indexOf((double) EngineTunables.RESTART);
        assertTrue(restart >= AlarmPolicy.SUSTAINED - 1, "a restart only once the alarm held: " + levels);
        assertTrue(levels.subList(restart - (AlarmPolicy.SUSTAINED - 1), restart).stream()
                .allMatch(l -> l == EngineTunables.CHECKPOINT), "checkpoints while it held: " + levels);
        assertTrue(!levels.subList(0, restart).contains((double) EngineTunables.RESTART));
    }

    @Test
    void aHostWideAlarmIsNoComponentsFailure() {
        // The same leak, as three components at once: everyone alarms together.
        AlarmPolicy p = AlarmPolicy.failure(MODEL, Set.of("a", "b", "c"), EngineTunables.RESTART);
        Trace t = leak(20_001);
        int recommended = 0;
        for (var o : t.observations()) {
            for (String c : List.of("a", "b", "c")) {
                p.observe(new dev.atomic.policy.Observation(o.timeMillis(), c, o.kernel(), o.cpu(), o.rssBytes(),
                        o.rssSlope(), o.memoryLimit(), o.psiMemory(), o.lanes(), o.errors(), o.restarts(),
                        o.progress(), o.pending(), o.rateBudget(), o.faults()));
            }
            Decision d = p.decide(o.timeMillis());
            recommended += d.recommendations().size();
            assertTrue(d.settings().isEmpty(), "advice only");
        }
        assertTrue(recommended >= 3);
    }

    @Test
    void onlyAdviceForWhatIsNoMemberOrWhereTheOperatorAllowsNoAction() {
        Trace t = leak(20_002);
        for (AlarmPolicy p : List.of(AlarmPolicy.failure(MODEL, Set.of("someone-else"), EngineTunables.RESTART),
                AlarmPolicy.failure(MODEL, Set.of(t.component()), EngineTunables.ADVISE))) {
            int recommended = 0;
            for (var o : t.observations()) {
                p.observe(o);
                Decision d = p.decide(o.timeMillis());
                recommended += d.recommendations().size();
                assertTrue(d.settings().isEmpty());
            }
            assertTrue(recommended > 0);
        }
    }

    @Test
    void anAnomalyIsAnEarlyWarningThatCheckpointsOnceItHoldsAndNeverRestarts() {
        Trace t = leak(20_001);
        AlarmPolicy p = AlarmPolicy.anomaly(ANOMALY, Set.of(t.component()), EngineTunables.RESTART);
        assertEquals(Experiment.ANOMALY, p.name());
        Alarmed run = alarmed(p, t);
        assertTrue(run.first() != null, "the leak was never warned of");
        assertTrue(run.at() < t.failureMillis(), "warned before it failed");
        run.decisions().forEach(d -> d.settings().forEach(s -> assertEquals(EngineTunables.WARNING + t.component(),
                s.tunable())));
        Recommendation first = run.first();
        List<Double> levels = run.levels();
        assertEquals(Recommendation.Action.WATCH, first.action());
        assertTrue(first.reason().startsWith("early warning (") && first.reason().contains("unlike its own baseline"),
                first.reason());
        assertEquals(0.0, levels.getFirst(), "advice at once");
        int checkpoint = levels.indexOf((double) EngineTunables.CHECKPOINT);
        assertTrue(checkpoint >= AlarmPolicy.SUSTAINED - 1, "a checkpoint only once it held: " + levels);
        assertTrue(levels.stream().allMatch(l -> l <= EngineTunables.CHECKPOINT), "never a restart: " + levels);
    }

    @Test
    void aWarningCheckpointsNoMoreThanTheOperatorAllowsAndTheDutyCycleSeesTheHigherLevel() {
        TunableStore store = new TunableStore();
        EngineTunables tunables = new EngineTunables(new String[]{"leaky"}, EngineTunables.ADVISE);
        tunables.define(store);
        assertEquals(EngineTunables.ADVISE, store.tunable(EngineTunables.WARNING + "leaky").max(),
                "the operator's ceiling bounds the warning too");
        tunables = new EngineTunables(new String[]{"leaky"}, EngineTunables.RESTART);
        store = new TunableStore();
        tunables.define(store);
        assertEquals(EngineTunables.CHECKPOINT, store.tunable(EngineTunables.WARNING + "leaky").max(),
                "a warning never restarts");
        store.set(EngineTunables.WARNING + "leaky", EngineTunables.CHECKPOINT, "anomaly", "unlike itself", 0);
        tunables.publish(store, 0);
        assertEquals(EngineTunables.CHECKPOINT, tunables.proactive(0));
        assertTrue(tunables.proactiveReason(0).startsWith("anomaly: unlike itself"), tunables.proactiveReason(0));
        store.set(EngineTunables.PROACTIVE + "leaky", EngineTunables.RESTART, "failure", "fails soon", 0);
        tunables.publish(store, 0);
        assertEquals(EngineTunables.RESTART, tunables.proactive(0), "the higher of the two");
        assertTrue(tunables.proactiveReason(0).startsWith("failure: fails soon"));
    }

    @Test
    void theTrainerProcessRunsOnTheEnginesClassPathAndKeepsCachedModels(@TempDir Path dir) throws Exception {
        SmallModels.cache(dir);
        long before = Files.getLastModifiedTime(ModelCache.FAILURE.file(dir)).toMillis();
        List<String> command = PolicyLoop.trainer(dir);
        assertEquals(List.of("nice", "-n", "19"), command.subList(4, 7), "at the lowest priority, in the background");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        for (ModelCache<?> cache : ModelCache.ALL) {
            assertTrue(out.contains(cache.name() + ": cached in " + cache.file(dir)), out);
        }
        assertEquals(before, Files.getLastModifiedTime(ModelCache.FAILURE.file(dir)).toMillis(), "not trained again");
    }
}
