package dev.atomic.policy.sizing;

import dev.atomic.policy.Observation;
import dev.atomic.policy.traces.Trace;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

import java.util.ArrayList;
import java.util.List;

/**
 * Policy 3's model for one measure: how far a component's peak demand over the next {@link Window#HORIZON} ticks will
 * stand above its peak over the last ones (as a logarithm), by a random forest of regression trees (Tribuo, pure
 * Java) over the {@link Window}'s shapes; then raised by a margin in proportion to the error expected of it there (a
 * second forest, fit on the first one's absolute errors: a bursty component gets more, a steady one less). The margin
 * is measured on training traces the forests were not fit on (one in {@link #CALIBRATION_EVERY}): a quantile of the
 * errors there, each divided by the error expected, times a factor ({@link Measure#covers},
 * {@link Measure#marginFactor}): a locally adaptive split-conformal bound. Where the measure offers several
 * quantiles (CPU), every training trace is held back once (out of fold: forests fit on the other three quarters), the
 * quantile is taken per group of windows (steady, bursty: {@link #group}), and the one chosen is the one that
 * reserves least when replayed over the held-back traces while going over no more often than the fixed rule there;
 * the model kept is the one fit on all but the last quarter. A size is set anew each tick, each a new
 * chance to be exceeded, so a per-window quantile alone would be exceeded thousands of times a day. Fit on the
 * healthy stretches of the training traces only: sizing is for normal behaviour, and a leak is the anomaly and
 * failure policies' to find.
 */
public final class SizingModel implements java.io.Serializable {
    static final int TREES = 10;
    static final int DEPTH = 6;
    /** Every so many training traces, one is held back to measure the forest's errors on (the margin). */
    static final int CALIBRATION_EVERY = 4;
    /** Ticks it is fit on at most, evenly spread. */
    static final int MAX_TRAINING = 4_000;
    private static final long SEED = 11;
    /** The least error expected of the forest, as a logarithm: 0.5%. */
    private static final double SPREAD_FLOOR = 0.005;
    private static final String NEED = "need";
    private static final RegressionFactory REGRESSION = new RegressionFactory();

    /**
     * A CPU window is bursty when its traffic peaked at twice its mean or more ({@link Window#RATE_BURST}): bursts
     * are what a bursty component's next half minute hides, so its errors are another population than a steady
     * one's, and each gets the quantile of its own (a group-conditional, Mondrian, split-conformal bound).
     */
    static final double BURSTY = Math.log(2);
    /** Held-back errors a group needs for a quantile of its own; fewer, and it takes that of all of them. */
    static final int GROUP_LEAST = 200;

    private final Measure measure;
    private final Model<Regressor> model;
    private final Model<Regressor> spread;
    /** Per group ({@link #group}): steady, bursty. */
    private final double[] margins;

    private SizingModel(Measure measure, Model<Regressor> model, Model<Regressor> spread, double[] margins) {
        this.measure = measure;
        this.model = model;
        this.spread = spread;
        this.margins = margins;
    }

    public Measure measure() {
        return measure;
    }

    public static SizingModel train(Measure measure, List<Trace> traces) {
        // Where there are margins to choose from, every trace is held back once, from forests fit on the others (out
        // of fold): four times the held-back windows and traces to judge the margins on than one fold's.
        int folds = measure.covers().length > 1 ? CALIBRATION_EVERY : 1;
        List<Fold> fits = new ArrayList<>();
        for (int f = CALIBRATION_EVERY - folds; f < CALIBRATION_EVERY; f++) {
            fits.add(Fold.fit(measure, traces, f));
        }
        List<List<Double>> errors = List.of(new ArrayList<>(), new ArrayList<>());
        for (Fold fold : fits) {
            for (int i = 0; i < fold.heldXs.size(); i++) {
                double[] x = fold.heldXs.get(i);
                errors.get(group(measure, x)).add((fold.heldYs.get(i) - predict(fold.model, x))
                        / scale(fold.spread, x));
            }
        }
        List<Double> all = new ArrayList<>(errors.get(0));
        all.addAll(errors.get(1));
        List<double[]> candidates = new ArrayList<>();
        for (double cover : measure.covers()) {
            double[] margins = new double[errors.size()];
            for (int g = 0; g < margins.length; g++) {
                margins[g] = measure.marginFactor * Math.max(0, quantile(errors.get(g).size() < GROUP_LEAST ? all
                        : errors.get(g), cover));
            }
            candidates.add(margins);
        }
        double[] margins = candidates.size() == 1 ? candidates.getFirst() : choose(measure, candidates, fits);
        Fold last = fits.getLast(); // fit on every trace but one in CALIBRATION_EVERY, the last of each four
        return new SizingModel(measure, last.model, last.spread, margins);
    }

    /** A model and its errors' forest fit on every trace but those of one fold, and the windows of that fold. */
    private record Fold(Model<Regressor> model, Model<Regressor> spread, List<double[]> heldXs, List<Double> heldYs,
                        List<Trace> heldBack) {
        static Fold fit(Measure measure, List<Trace> traces, int fold) {
            List<double[]> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<double[]> heldXs = new ArrayList<>();
            List<Double> heldYs = new ArrayList<>();
            List<Trace> heldBack = new ArrayList<>();
            for (int k = 0; k < traces.size(); k++) {
                boolean held = k % CALIBRATION_EVERY == fold;
                windows(measure, traces.get(k), held ? heldXs : xs, held ? heldYs : ys);
                if (held) {
                    heldBack.add(traces.get(k));
                }
            }
            if (xs.isEmpty() || heldXs.isEmpty()) {
                throw new IllegalArgumentException("too few healthy stretches to size " + measure.said + " from ("
                        + traces.size() + " traces)");
            }
            int step = Math.max(1, xs.size() / MAX_TRAINING);
            MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance("healthy windows",
                    REGRESSION), REGRESSION);
            for (int i = 0; i < xs.size(); i += step) {
                data.add(new ArrayExample<>(new Regressor(NEED, ys.get(i)), Window.NAMES, xs.get(i)));
            }
            Model<Regressor> model = forest(data);
            // How far off the forest tends to be, window by window: a second forest over its absolute errors.
            MutableDataset<Regressor> misses = new MutableDataset<>(new SimpleDataSourceProvenance("its errors",
                    REGRESSION), REGRESSION);
            for (int i = 0; i < xs.size(); i += step) {
                misses.add(new ArrayExample<>(new Regressor(NEED, Math.abs(ys.get(i) - predict(model, xs.get(i)))),
                        Window.NAMES, xs.get(i)));
            }
            return new Fold(model, forest(misses), heldXs, heldYs, heldBack);
        }
    }

    /**
     * Of margins in rising order, the ones that reserve least on the held-back traces (each replayed with the forests
     * it was held back from) while going over no more often there than the fixed rule ({@link MaxSeenSizing}) does;
     * the widest when none is as good.
     */
    private static double[] choose(Measure measure, List<double[]> candidates, List<Fold> fits) {
        List<Trace> heldBack = fits.stream().flatMap(f -> f.heldBack.stream()).toList();
        SizingEvaluation.Outcome rule = SizingEvaluation.run(MaxSeenSizing.NAME, new MaxSeenSizing(), heldBack);
        double[] best = candidates.getLast();
        double leastUnused = Double.POSITIVE_INFINITY;
        for (double[] margins : candidates) {
            int over = 0;
            double unused = 0;
            for (Fold f : fits) {
                SizingEvaluation.Outcome o = SizingEvaluation.run(LearnedSizing.NAME, new LearnedSizing(List.of(
                        new SizingModel(measure, f.model, f.spread, margins))), f.heldBack);
                over += o.over(measure);
                unused += o.unused(measure) * o.ticks();
            }
            if (over <= rule.over(measure) && unused < leastUnused) {
                leastUnused = unused;
                best = margins;
            }
        }
        return best;
    }

    /** The group of a window: 1, a bursty CPU window; 0, any other. */
    static int group(Measure measure, double[] x) {
        return measure == Measure.CPU && x[Window.RATE_BURST] >= BURSTY ? 1 : 0;
    }

    private static double quantile(List<Double> errors, double cover) {
        double[] sorted = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[(int) Math.min(sorted.length - 1, cover * sorted.length)];
    }

    private static Model<Regressor> forest(MutableDataset<Regressor> data) {
        return new RandomForestTrainer<>(new CARTRegressionTrainer(DEPTH, 5, 0, 0.5f, new MeanSquaredError(), SEED),
                new AveragingCombiner(), TREES, SEED).train(data);
    }

    /** The error expected of the forest at {@code x}, with a floor: a window it has always been right about. */
    private static double scale(Model<Regressor> spread, double[] x) {
        return Math.max(SPREAD_FLOOR, predict(spread, x));
    }

    /** A trace's healthy windows: the window's shapes, and how far the next peak stood above the window's. */
    private static void windows(Measure measure, Trace t, List<double[]> xs, List<Double> ys) {
        List<Observation> obs = t.observations();
        Window w = new Window(measure);
        for (int i = 0; i + Window.HORIZON < obs.size(); i++) {
            w.add(obs.get(i));
            if (!w.ready() || t.onsetMillis() >= 0 && obs.get(i + Window.HORIZON).timeMillis() >= t.onsetMillis()) {
                continue;
            }
            double next = 0;
            for (int k = i + 1; k <= i + Window.HORIZON; k++) {
                next = Math.max(next, Math.max(0, measure.of(obs.get(k))));
            }
            xs.add(w.features());
            ys.add(Math.log((next + 1e-6) / (w.peak() + 1e-6)));
        }
    }

    /** The demand the window's component is predicted to stay under over the next window. */
    double need(Window w) {
        double[] x = w.features();
        return w.peak() * Math.exp(predict(model, x) + margins[group(measure, x)] * scale(spread, x));
    }

    private static double predict(Model<Regressor> model, double[] x) {
        return model.predict(new ArrayExample<>(REGRESSION.getUnknownOutput(), Window.NAMES, x)).getOutput()
                .getValues()[0];
    }
}
