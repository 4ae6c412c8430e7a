package dev.atomic.policy.learned;

import dev.atomic.policy.traces.Trace;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.Trainer;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.List;

/**
 * Policy 2's model: the probability that a component fails within the next {@link #HORIZON_SECONDS}, by a random
 * forest (Tribuo: {@link #TREES} CART trees of depth {@link #DEPTH}, half the features tried at each split, their
 * leaves' class shares averaged; pure Java) over its features. Fit on the training traces' ticks up to their failure,
 * labelled by whether the failure came within the horizon.
 */
public final class FailureModel implements Scorer, java.io.Serializable {
    public static final int HORIZON_SECONDS = 30;
    /** Ticks it is fit on at most: every failing one, and living ones evenly spread. */
    static final int MAX_TRAINING = 12_000;
    static final int TREES = 20;
    static final int DEPTH = 8;
    static final float FEATURES_PER_SPLIT = 0.5f;
    private static final long SEED = 7;
    private static final Label FAILS = new Label("fails");
    private static final Label LIVES = new Label("lives");
    private static final LabelFactory LABELS = new LabelFactory();

    private final Model<Label> model;

    private FailureModel(Model<Label> model) {
        this.model = model;
    }

    public static FailureModel train(List<Trace> traces) {
        List<Examples.Tick> ticks = Examples.of(traces).ticks().stream().filter(t -> !t.failedAlready()).toList();
        List<Examples.Tick> failing = ticks.stream().filter(FailureModel::failsSoon).toList();
        List<Examples.Tick> living = ticks.stream().filter(t -> !failsSoon(t)).toList();
        // Every failing tick, and living ones evenly spread, at most so many: a forest's training grows with them.
        int step = Math.max(1, living.size() / Math.max(1, MAX_TRAINING - failing.size()));
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("trace ticks", LABELS),
                LABELS);
        failing.forEach(t -> data.add(new ArrayExample<>(FAILS, Features.NAMES, t.features())));
        for (int i = 0; i < living.size(); i += step) {
            data.add(new ArrayExample<>(LIVES, Features.NAMES, living.get(i).features()));
        }
        return new FailureModel(trainer().train(data));
    }

    /** A forest: the ways a component comes to fail are several, each a conjunction of its measures. */
    private static Trainer<Label> trainer() {
        return new RandomForestTrainer<>(new CARTClassificationTrainer(DEPTH, FEATURES_PER_SPLIT, SEED),
                new FullyWeightedVotingCombiner(), TREES, SEED);
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
