package dev.atomic.policy.learned;

import dev.atomic.policy.traces.Trace;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyTrainer;
import org.tribuo.anomaly.libsvm.SVMAnomalyType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.List;

/**
 * Policy 1's model: a one-class SVM (Tribuo over LIBSVM's pure-Java port, RBF kernel) fit on healthy behaviour
 * only, every component's ticks as deviations from its own baseline. What lies outside the region of normal
 * deviations it learned scores high: the score is the SVM's decision value, negated. Serializable, for the Engine to
 * cache as it does policy 2's.
 */
public final class AnomalyModel implements Scorer, java.io.Serializable {
    /** Healthy ticks it is fit on at most (a one-class SVM's training grows with their square). */
    static final int MAX_TRAINING = 4000;
    static final double NU = 0.01;
    static final double GAMMA = 0.01;

    private static final AnomalyFactory EVENTS = new AnomalyFactory();

    static {
        libsvm.svm.svm_set_print_string_function(s -> { }); // LIBSVM prints its progress to stdout otherwise
    }
    private final Model<Event> model;

    private AnomalyModel(Model<Event> model) {
        this.model = model;
    }

    /** Fits on the healthy stretches of {@code traces}: healthy components, and faulty ones before their onset. */
    public static AnomalyModel train(List<Trace> traces) {
        List<Examples.Tick> healthy = Examples.of(traces).ticks().stream().filter(Examples.Tick::healthy).toList();
        int step = Math.max(1, healthy.size() / MAX_TRAINING);
        MutableDataset<Event> data = new MutableDataset<>(new SimpleDataSourceProvenance("healthy ticks", EVENTS),
                EVENTS);
        for (int i = 0; i < healthy.size(); i += step) {
            data.add(new ArrayExample<>(AnomalyFactory.EXPECTED_EVENT, Features.NAMES, healthy.get(i).features()));
        }
        SVMParameters<Event> params = new SVMParameters<>(new SVMAnomalyType(SVMAnomalyType.SVMMode.ONE_CLASS),
                KernelType.RBF);
        params.setNu(NU);
        params.setGamma(GAMMA);
        return new AnomalyModel(new LibSVMAnomalyTrainer(params).train(data));
    }

    @Override
    public double score(double[] features) {
        return -model.predict(new ArrayExample<>(AnomalyFactory.UNKNOWN_EVENT, Features.NAMES, features))
                .getOutput().getScore();
    }

    @Override
    public String meaning(double score) {
        return "unlike its own baseline (anomaly score " + String.format("%.2f", score) + ")";
    }
}
