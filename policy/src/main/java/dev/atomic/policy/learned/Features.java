package dev.atomic.policy.learned;

import dev.atomic.policy.Observation;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * What the learned policies see of one component at a tick: its measures as deviations from its own baseline
 * (learned over its first {@link #WARM_UP} ticks), and a few measures relative to its limits. None until the
 * baseline is learned. Fed one observation at a time, in order; no clock.
 */
public final class Features {
    /** Ticks a component's baseline is learned over: a minute at the default cadence. */
    public static final int WARM_UP = 60;
    static final double CLIP = 10;
    /** Ticks the short averages are taken over, smoothing one tick's noise. */
    private static final int SHORT = 3;
    /** Ticks a rate's growth is measured over, and restarts counted over. */
    private static final int GROWTH = 5;
    private static final int RESTARTS_OVER = 60;
    private static final int TREND = 8;
    /** Spreads above its normal that count toward a lasting deviation. */
    private static final double LASTING = 3;

    /** The names of the features, in the order of {@link #next}'s array: Tribuo's feature names. */
    public static final String[] NAMES = {"rate.dev", "rate.budget", "rate.growth", "rate.trend", "rate.rising",
            "latency.dev", "latency.lasting", "errors.dev", "errors.lasting", "progress.dev", "stalled", "pending.dev", "memory.share", "memory.dev", "memory.due", "psi", "restarts",
            "cpu.dev"};
    /** The plain words for each feature, for an explanation. */
    static final String[] SAID = {"traffic", "traffic against its budget", "traffic growing",
            "traffic rising steadily", "seconds of traffic rising", "latency", "seconds of high latency", "errors",
            "seconds of many errors", "progress", "seconds without progress", "requests waiting", "memory against its limit", "memory",
            "memory due at its limit", "memory pressure", "restarts in the last minute", "CPU"};

    private final Baseline rate = new Baseline(0.05);
    private final Baseline latency = new Baseline(0.02);
    private final Baseline errors = new Baseline(0.05);
    private final Baseline progress = new Baseline(0.05);
    private final Baseline pending = new Baseline(0.1);
    private final Baseline memory = new Baseline(0.01);
    private final Baseline cpu = new Baseline(0.05);
    private final ArrayDeque<Observation> recent = new ArrayDeque<>();
    /** The logarithm of its traffic: its slope tells a steady ramp from a burst that jumped and stays. */
    private final dev.atomic.policy.Trend logRate = new dev.atomic.policy.Trend(TREND);
    private int seen;
    private int stalled;
    private int rising;
    private int slow;
    private int erring;
    private double[] deviations;

    /** Takes the next observation; returns its features, or null while the baseline is being learned. */
    public double[] next(Observation o) {
        Observation previous = recent.peekLast();
        recent.addLast(o);
        while (recent.size() > RESTARTS_OVER + 1) {
            recent.removeFirst();
        }
        if (previous == null) {
            return null; // a progress delta needs two
        }
        double delta = Math.max(0, o.progress() - previous.progress()) / Math.max(0.001,
                (o.timeMillis() - previous.timeMillis()) / 1000.0);
        stalled = delta == 0 ? stalled + 1 : 0;
        double r = average(Observation::rate);
        double lat = Math.log1p(average(Observation::latencyMicros));
        double err = average(x -> x.errors());
        double pend = Math.log1p(average(x -> x.pending()));
        double mem = o.memoryShare();
        double c = average(Observation::cpu);
        double trend = logRate.add(o.timeMillis(), Math.log1p(o.rate())) * TREND;
        // A ramp rises tick after tick; a burst jumps once and holds.
        rising = r > 1.1 * shortAverage(SHORT, Observation::rate) ? rising + 1 : 0;
        if (seen++ < WARM_UP) {
            rate.learn(r);
            latency.learn(lat);
            errors.learn(err);
            progress.learn(delta);
            pending.learn(pend);
            memory.learn(mem);
            cpu.learn(c);
            return null;
        }
        double latencyDev = latency.deviation(lat);
        double errorsDev = errors.deviation(err);
        // A spike or a burst of bad requests passes in a second or two; trouble lasts.
        slow = latencyDev > LASTING ? slow + 1 : 0;
        erring = errorsDev > LASTING ? erring + 1 : 0;
        Observation before = recent.size() > GROWTH ? recent.toArray(Observation[]::new)[recent.size() - 1 - GROWTH]
                : recent.peekFirst();
        double growth = clip(Math.log((o.rate() + 1) / (before.rate() + 1)));
        double secondsToLimit = o.rssSlope() > 0 && o.memoryLimit() > 0
                ? (o.memoryLimit() - o.rssBytes()) / o.rssSlope() : Double.POSITIVE_INFINITY;
        double restarts = o.restarts() - recent.peekFirst().restarts();
        double[] f = {rate.deviation(r), clip(o.rateBudget() > 0 ? o.rate() / o.rateBudget() : 0), growth,
                clip(trend), ticks(rising), latencyDev, ticks(slow), errorsDev, ticks(erring),
                progress.deviation(delta), ticks(stalled), pending.deviation(pend), mem, memory.deviation(mem), clip(60 / Math.max(1, secondsToLimit)),
                Math.max(0, o.psiMemory()) / 100, restarts, cpu.deviation(c)};
        deviations = f;
        return f;
    }

    /** The last features' largest deviations from the baseline, said plainly: "memory 6.2 spreads above its normal". */
    public String strongest(int how) {
        if (deviations == null) {
            return "still learning its baseline";
        }
        Integer[] order = new Integer[deviations.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(deviations[b]), Math.abs(deviations[a])));
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < how; k++) {
            int i = order[k];
            if (k > 0) {
                s.append("; ");
            }
            s.append(SAID[i]).append(' ').append(String.format("%.1f", deviations[i]));
            if (NAMES[i].endsWith(".dev")) {
                s.append(deviations[i] >= 0 ? " spreads above its normal" : " spreads below its normal");
            }
        }
        return s.toString();
    }

    private double average(java.util.function.ToDoubleFunction<Observation> f) {
        return shortAverage(0, f);
    }

    /** The mean over {@link #SHORT} ticks, ending {@code ago} ticks before the last (over fewer when young). */
    private double shortAverage(int ago, java.util.function.ToDoubleFunction<Observation> f) {
        int n = 0;
        int skipped = 0;
        double sum = 0;
        var it = recent.descendingIterator();
        while (it.hasNext() && n < SHORT) {
            Observation o = it.next();
            if (skipped++ < ago) {
                continue;
            }
            sum += f.applyAsDouble(o);
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }

    /** A count of ticks on the scale of the deviations: 30 ticks and more is 10, the clip. */
    private static double ticks(int n) {
        return Math.min(n, 30) / 3.0;
    }

    static double clip(double v) {
        return Double.isNaN(v) ? 0 : Math.max(-CLIP, Math.min(CLIP, v));
    }
}
