package dev.atomic.policy.sizing;

import dev.atomic.policy.Observation;

import java.util.ArrayDeque;

/**
 * A component's recent demand for one measure, and what a sizing model sees of it: scale-free shapes of its last
 * {@link #TICKS} ticks (how far its peak stands above its mean and its low, how fast it grows, how its peak compares
 * with the highest ever seen, how much room its traffic has left under its rate budget). Fed in time order.
 */
final class Window {
    /** Ticks the window holds: a minute at the default cadence, longer than a collector's cycle. */
    static final int TICKS = 60;
    /** Ticks ahead a size is predicted for: half a minute. */
    static final int HORIZON = 30;
    /** Ticks seen before anything is said: the learned policies' warm-up. */
    static final int WARM_UP = 60;
    static final String[] NAMES = {"peak.mean", "peak.low", "growth", "peak.ever", "rate.room", "rate.burst"};
    /** Where {@link #features} says how bursty the traffic was: its peak over its mean, as a logarithm. */
    static final int RATE_BURST = 5;
    private static final double TINY = 1e-6;

    private final Measure measure;
    private final ArrayDeque<double[]> recent = new ArrayDeque<>(); // {demand, rate}
    private double ever;
    private int seen;
    private Observation last;

    Window(Measure measure) {
        this.measure = measure;
    }

    void add(Observation o) {
        double[] tick = {Math.max(0, measure.of(o)), o.rate()};
        recent.addLast(tick);
        if (recent.size() > TICKS) {
            recent.removeFirst();
        }
        ever = Math.max(ever, tick[0]);
        seen++;
        last = o;
    }

    Measure measure() {
        return measure;
    }

    boolean ready() {
        return seen >= WARM_UP;
    }

    Observation last() {
        return last;
    }

    /** The highest demand seen since it started. */
    double ever() {
        return ever;
    }

    /** The highest demand in the window. */
    double peak() {
        return recent.stream().mapToDouble(t -> t[0]).max().orElse(0);
    }

    double[] features() {
        double peak = peak() + TINY;
        double mean = recent.stream().mapToDouble(t -> t[0]).average().orElse(0) + TINY;
        double low = recent.stream().mapToDouble(t -> t[0]).min().orElse(0) + TINY;
        double rate = recent.stream().mapToDouble(t -> t[1]).average().orElse(0);
        double rateMax = recent.stream().mapToDouble(t -> t[1]).max().orElse(0);
        long budget = last.rateBudget();
        return new double[]{Math.log(peak / mean), Math.log(peak / low), slope() * TICKS / peak,
                Math.log((ever + TINY) / peak), budget > 0 ? Math.log((budget + 1) / (rate + 1)) : 0,
                Math.log((rateMax + 1) / (rate + 1))};
    }

    /** The demand's least-squares slope per tick over the window. */
    private double slope() {
        int n = recent.size();
        double mt = (n - 1) / 2.0;
        double mv = recent.stream().mapToDouble(t -> t[0]).average().orElse(0);
        double num = 0;
        double den = 0;
        int i = 0;
        for (double[] t : recent) {
            num += (i - mt) * (t[0] - mv);
            den += (i - mt) * (i - mt);
            i++;
        }
        return den == 0 ? 0 : num / den;
    }
}
