package dev.atomic.policy;

/**
 * The least-squares slope of a value over its last samples ({@link #WINDOW} unless told): resident memory's growth without being
 * fooled by one collection giving some back. Fed by the caller, tested without a clock.
 */
public final class Trend {
    /** Samples the slope is taken over: 30 s at the default cadence. */
    public static final int WINDOW = 30;

    private final int window;
    private final long[] times;
    private final double[] values;
    private int count;
    private int next;

    public Trend() {
        this(WINDOW);
    }

    /** @param window samples the slope is taken over */
    public Trend(int window) {
        this.window = window;
        this.times = new long[window];
        this.values = new double[window];
    }

    /** Adds a sample and returns the slope, per second, over the samples held (0 until there are two). */
    public double add(long timeMillis, double value) {
        times[next] = timeMillis;
        values[next] = value;
        next = (next + 1) % window;
        count = Math.min(window, count + 1);
        return slope();
    }

    public void reset() {
        count = 0;
        next = 0;
    }

    private double slope() {
        if (count < 2) {
            return 0;
        }
        int first = count < window ? 0 : next;
        double mt = 0;
        double mv = 0;
        for (int i = 0; i < count; i++) {
            int k = (first + i) % window;
            mt += (times[k] - times[first]) / 1000.0;
            mv += values[k];
        }
        mt /= count;
        mv /= count;
        double num = 0;
        double den = 0;
        for (int i = 0; i < count; i++) {
            int k = (first + i) % window;
            double dt = (times[k] - times[first]) / 1000.0 - mt;
            num += dt * (values[k] - mv);
            den += dt * dt;
        }
        return den == 0 ? 0 : num / den;
    }
}
