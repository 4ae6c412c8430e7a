package dev.atomic.policy.learned;

import dev.atomic.policy.traces.Trace;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.List;

/**
 * Policy 2's model: the probability that a component fails within the next {@link #HORIZON_SECONDS}, by logistic
 * regression (Tribuo, stochastic gradient descent, pure Java) over its features. Fit on every tick of the training
 * traces up to their failure, labelled by whether the failure came within the horizon; the few failing ticks
 * weigh as much in all as the many others.
 */
public final class FailureModel implements Scorer {
    public static final int HORIZON_SECONDS = 30;
    private static final Label FAILS = new Label("fails");
    private static final Label LIVES = new Label("lives");
    private static final LabelFactory LABELS = new LabelFactory();

    private final Model<Label> model;

    private FailureModel(Model<Label> model) {
        this.model = model;
    }

    public static FailureModel train(List<Trace> traces) {
        List<Examples.Tick> ticks = Examples.of(traces).ticks().stream().filter(t -> !t.failedAlready()).toList();
        long failing = ticks.stream().filter(FailureModel::failsSoon).count();
        float weight = failing == 0 ? 1 : (float) (ticks.size() - failing) / failing;
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("trace ticks", LABELS),
                LABELS);
        for (Examples.Tick t : ticks) {
            boolean fails = failsSoon(t);
            ArrayExample<Label> example = new ArrayExample<>(fails ? FAILS : LIVES, Features.NAMES, t.features());
            example.setWeight(fails ? weight : 1);
            data.add(example);
        }
        return new FailureModel(new LogisticRegressionTrainer().train(data));
    }

    private static boolean failsSoon(Examples.Tick t) {
        return t.trace().failsWithin(t.timeMillis(), HORIZON_SECONDS * 1000L);
    }

    @Override
    public double score(double[] features) {
        return model.predict(new ArrayExample<>(LABELS.getUnknownOutput(), Features.NAMES, features))
                .getOutputScores().get(FAILS.getLabel()).getScore();
    }

    @Override
    public String meaning(double score) {
        return String.format("fails within %d s with probability %.2f", HORIZON_SECONDS, score);
    }
}
