package dev.atomic.policy.live;

import dev.atomic.policy.eval.Experiment;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureModelCacheTest {
    @Test
    void aCachedModelReadsBackAndScoresAsItDid(@TempDir Path dir) throws Exception {
        assertTrue(FailureModelCache.load(dir).isEmpty(), "nothing cached yet");
        // One seed's traces: a small forest, quick to train; the cache does not care how big.
        FailureModelCache.Trained small = new FailureModelCache.Trained(
                FailureModel.train(Experiment.traces(List.of(1L))), 0.5, 2);
        Path f = FailureModelCache.save(small, dir);
        assertEquals(FailureModelCache.file(dir), f);
        FailureModelCache.Trained back = FailureModelCache.load(dir).orElseThrow();
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
    void aFileOfAnythingElseIsIgnored(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(FailureModelCache.file(dir));
             ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(new ArrayList<>(List.of(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("not", "a model"))));
        }
        assertTrue(FailureModelCache.load(dir).isEmpty(), "a class outside the filter is refused");
        Files.writeString(FailureModelCache.file(dir), "garbage");
        assertTrue(FailureModelCache.load(dir).isEmpty());
    }
}
