package dev.atomic.policy.live;

import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.AnomalyModel;
import dev.atomic.policy.learned.Features;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.traces.TraceGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCacheTest {
    @Test
    void aCachedModelReadsBackAndScoresAsItDid(@TempDir Path dir) throws Exception {
        assertTrue(ModelCache.FAILURE.load(dir).isEmpty(), "nothing cached yet");
        // One seed's traces: a small forest, quick to train; the cache does not care how big.
        ModelCache.Trained<FailureModel> small = new ModelCache.Trained<>(
                FailureModel.train(Experiment.traces(List.of(1L))), 0.5, 2);
        Path f = ModelCache.FAILURE.save(small, dir);
        assertEquals(ModelCache.FAILURE.file(dir), f);
        ModelCache.Trained<FailureModel> back = ModelCache.FAILURE.load(dir).orElseThrow();
        assertEquals(0.5, back.alarm().threshold());
        assertEquals(2, back.alarm().ticks());
        var trace = new TraceGenerator(99).set().getFirst();
        Features a = new Features();
        Features b = new Features();
        int scored = 0;
        for (var o : trace.observations()) {
            double[] x = a.next(o);
            double[] y = b.next(o);
            if (x != null) {
                assertEquals(small.model().score(x), back.model().score(y), 1e-12);
                scored++;
            }
        }
        assertTrue(scored > 100);
    }

    @Test
    void eachModelHasAFileOfItsOwnAndAnotherModelsFileIsNotTakenForIt(@TempDir Path dir) throws Exception {
        assertEquals(3, ModelCache.ALL.stream().map(c -> c.file(dir)).distinct().count());
        ModelCache.Trained<AnomalyModel> anomaly = new ModelCache.Trained<>(
                AnomalyModel.train(Experiment.traces(List.of(1L))), 0.1, 1);
        ModelCache.ANOMALY.save(anomaly, dir);
        assertTrue(ModelCache.ANOMALY.load(dir).isPresent());
        // The anomaly model's file where the failure model's should be: the same record, another model.
        Files.copy(ModelCache.ANOMALY.file(dir), ModelCache.FAILURE.file(dir));
        assertTrue(ModelCache.FAILURE.load(dir).isEmpty());
        assertNotEquals(ModelCache.ANOMALY.file(dir), ModelCache.FAILURE.file(dir));
    }

    @Test
    void aFileOfAnythingElseIsIgnored(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(ModelCache.SIZING.file(dir));
             ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(new ArrayList<>(List.of(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("not", "a model"))));
        }
        assertTrue(ModelCache.SIZING.load(dir).isEmpty(), "a class outside the filter is refused");
        Files.writeString(ModelCache.SIZING.file(dir), "garbage");
        assertTrue(ModelCache.SIZING.load(dir).isEmpty());
    }
}
