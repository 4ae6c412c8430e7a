package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.live.FailureModelCache;
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

class FailurePolicyTest {
    /** A small forest (one seed's traces): enough to see a leak coming. */
    private static final FailureModelCache.Trained MODEL = new FailureModelCache.Trained(
            FailureModel.train(Experiment.traces(List.of(1L, 2L))), 0.5, 2);

    private static Trace leak(long seed) {
        return new TraceGenerator(seed).set().stream().filter(t -> t.scenario() == Scenario.LEAK).findFirst()
                .orElseThrow();
    }

    @Test
    void aPredictedFailureOfAMemberCheckpointsAtOnceAndRestartsOnceItHolds() {
        Trace t = leak(20_001);
        FailurePolicy p = new FailurePolicy(MODEL, Set.of(t.component()), EngineTunables.RESTART);
        List<Double> levels = new ArrayList<>();
        long at = -1;
        Recommendation first = null;
        for (var o : t.observations()) {
            p.observe(o);
            Decision d = p.decide(o.timeMillis());
            if (!d.recommendations().isEmpty() && first == null) {
                first = d.recommendations().getFirst();
                at = o.timeMillis();
            }
            if (first != null) {
                levels.add(d.settings().isEmpty() ? 0 : d.settings().getFirst().value());
                if (!d.settings().isEmpty()) {
                    assertEquals(EngineTunables.PROACTIVE + t.component(), d.settings().getFirst().tunable());
                    assertTrue(d.settings().getFirst().reason().startsWith(d.recommendations().getFirst().reason()));
                }
            }
        }
        assertTrue(first != null, "the leak was never predicted");
        assertTrue(at < t.failureMillis(), "predicted before it failed");
        assertEquals(Recommendation.Action.PREWARM_SPARE, first.action());
        assertTrue(first.reason().startsWith("fails within 30 s with probability"), first.reason());
        assertEquals((double) EngineTunables.CHECKPOINT, levels.getFirst(), "a checkpoint at once");
        int restart = levels.indexOf((double) EngineTunables.RESTART);
        assertTrue(restart >= FailurePolicy.SUSTAINED - 1, "a restart only once the alarm held: " + levels);
        assertTrue(levels.subList(restart - (FailurePolicy.SUSTAINED - 1), restart).stream()
                .allMatch(l -> l == EngineTunables.CHECKPOINT), "checkpoints while it held: " + levels);
        assertTrue(!levels.subList(0, restart).contains((double) EngineTunables.RESTART));
    }

    @Test
    void aHostWideAlarmIsNoComponentsFailure() {
        // The same leak, as three components at once: everyone alarms together.
        FailurePolicy p = new FailurePolicy(MODEL, Set.of("a", "b", "c"), EngineTunables.RESTART);
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
        for (FailurePolicy p : List.of(new FailurePolicy(MODEL, Set.of("someone-else"), EngineTunables.RESTART),
                new FailurePolicy(MODEL, Set.of(t.component()), EngineTunables.ADVISE))) {
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
    void theTrainerProcessRunsOnTheEnginesClassPathAndKeepsACachedModel(@TempDir Path dir) throws Exception {
        FailureModelCache.save(MODEL, dir);
        long before = Files.getLastModifiedTime(FailureModelCache.file(dir)).toMillis();
        List<String> command = PolicyLoop.trainer(dir);
        assertEquals(List.of("nice", "-n", "19"), command.subList(0, 3), "at the lowest priority");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("cached in " + FailureModelCache.file(dir)), out);
        assertEquals(before, Files.getLastModifiedTime(FailureModelCache.file(dir)).toMillis(), "not trained again");
    }
}
