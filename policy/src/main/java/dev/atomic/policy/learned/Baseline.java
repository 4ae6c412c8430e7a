package dev.atomic.policy.learned;

/**
 * A component's own normal for one measure: the mean and spread of its first {@link Features#WARM_UP} observations,
 * then fixed (a slow drift would teach it a leak is normal). A deviation is said in its spreads, with a floor on the
 * spread so that a very steady component is not alarmed by a hair's change.
 */
final class Baseline {
    private final double floor;
    private double sum;
    private double squares;
    private int count;
    private double mean;
    private double spread;

    /** @param floor the least spread, relative to the mean, e.g. 0.05: 5% */
    Baseline(double floor) {
        this.floor = floor;
    }

    void learn(double v) {
        sum += v;
        squares += v * v;
        count++;
        mean = sum / count;
        double variance = Math.max(0, squares / count - mean * mean);
        spread = Math.max(Math.sqrt(variance), Math.max(floor * Math.abs(mean), 1e-3));
    }

    /** How many of its spreads {@code v} is from its mean, within ±{@link Features#CLIP}. */
    double deviation(double v) {
        return Features.clip((v - mean) / spread);
    }

    double mean() {
        return mean;
    }
}
