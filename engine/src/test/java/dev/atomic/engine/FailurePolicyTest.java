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
    void aPredictedFailureOfAMemberSetsItsProactiveLevelWithTheModelsReason() {
        Trace t = leak(20_001);
        FailurePolicy p = new FailurePolicy(MODEL, Set.of(t.component()), EngineTunables.RESTART);
        Decision first = null;
        long at = -1;
        for (var o : t.observations()) {
            p.observe(o);
            Decision d = p.decide(o.timeMillis());
            if (!d.recommendations().isEmpty()) {
                first = d;
                at = o.timeMillis();
                break;
            }
        }
        assertTrue(first != null, "the leak was never predicted");
        assertTrue(at < t.failureMillis(), "predicted before it failed");
        Recommendation r = first.recommendations().getFirst();
        assertEquals(Recommendation.Action.PREWARM_SPARE, r.action());
        assertTrue(r.reason().startsWith("fails within 30 s with probability"), r.reason());
        Decision.Setting s = first.settings().getFirst();
        assertEquals(EngineTunables.PROACTIVE + t.component(), s.tunable());
        assertEquals(EngineTunables.RESTART, s.value());
        assertEquals(r.reason(), s.reason());
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
