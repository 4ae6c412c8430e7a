package dev.atomic.engine;

import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.AnomalyModel;
import dev.atomic.policy.learned.Calibration;
import dev.atomic.policy.learned.FailureModel;
import dev.atomic.policy.live.ModelCache;
import dev.atomic.policy.sizing.Measure;
import dev.atomic.policy.sizing.SizingModel;
import dev.atomic.policy.traces.Trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The learned policies' models trained on two seeds' traces: small and quick, enough to see a leak coming. */
final class SmallModels {
    private static final List<Trace> TRACES = Experiment.traces(List.of(1L, 2L));
    static final ModelCache.Trained<FailureModel> FAILURE = new ModelCache.Trained<>(FailureModel.train(TRACES), 0.5,
            2);
    /** Its alarm chosen on the same traces, as the Engine's is. */
    static final ModelCache.Trained<AnomalyModel> ANOMALY = anomaly();
    static final ModelCache.Sizes SIZES = new ModelCache.Sizes(List.of(SizingModel.train(Measure.MEMORY, TRACES),
            SizingModel.train(Measure.CPU, TRACES)));

    private SmallModels() {
    }

    private static ModelCache.Trained<AnomalyModel> anomaly() {
        AnomalyModel m = AnomalyModel.train(TRACES);
        var alarm = Calibration.early(m, TRACES);
        return new ModelCache.Trained<>(m, alarm.threshold(), alarm.ticks());
    }

    /** Caches all three in {@code dir}, as the trainer would. */
    static void cache(Path dir) throws IOException {
        ModelCache.FAILURE.save(FAILURE, dir);
        ModelCache.ANOMALY.save(ANOMALY, dir);
        ModelCache.SIZING.save(SIZES, dir);
    }
}
