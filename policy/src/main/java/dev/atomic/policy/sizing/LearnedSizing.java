package dev.atomic.policy.sizing;

import dev.atomic.policy.traces.Trace;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Policy 3: each component's memory limit and CPU quota sized by a {@link SizingModel} from its own history. */
public final class LearnedSizing extends Sizing {
    public static final String NAME = "sizing";
    private final Map<Measure, SizingModel> models = new EnumMap<>(Measure.class);

    public LearnedSizing(List<SizingModel> models) {
        models.forEach(m -> this.models.put(m.measure(), m));
    }

    /** A model for each measure, fit on the traces' healthy stretches. */
    public static LearnedSizing train(List<Trace> traces) {
        return new LearnedSizing(List.of(SizingModel.train(Measure.MEMORY, traces),
                SizingModel.train(Measure.CPU, traces)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    double need(Measure m, Window w) {
        SizingModel model = models.get(m);
        return model == null ? Double.NaN : model.need(w);
    }

    @Override
    String how(Measure m, Window w, double need) {
        return "predicted by a forest to stay under " + m.say(need) + " over the next " + Window.HORIZON + " s";
    }
}
