package dev.atomic.policy.thresholds;

import dev.atomic.policy.Judging;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;

import java.util.HashMap;
import java.util.Map;

/**
 * The Engine's own leak rule (engine {@code LeakDetector}): past half its limit, memory grew steadily over the last
 * ten samples (at most two steps down), and at its least-squares slope it is due at its limit within 20 s.
 */
public final class LeakRule extends Judging {
    static final int SAMPLES = 10;
    static final double HORIZON_SECONDS = 20;
    private static final int DOWN_STEPS_ALLOWED = 2;

    private final Map<String, long[]> windows = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    @Override
    public String name() {
        return "leak-rule";
    }

    @Override
    protected Recommendation judge(Observation o) {
        long[] w = windows.computeIfAbsent(o.component(), c -> new long[SAMPLES]);
        int n = counts.merge(o.component(), 1, Integer::sum);
        System.arraycopy(w, 1, w, 0, SAMPLES - 1);
        w[SAMPLES - 1] = o.rssBytes();
        if (n < SAMPLES || o.memoryLimit() <= 0 || o.rssBytes() < o.memoryLimit() / 2) {
            return null;
        }
        int down = 0;
        for (int i = 1; i < SAMPLES; i++) {
            down += w[i] < w[i - 1] ? 1 : 0;
        }
        // The observation's own slope is over 30 ticks; the Engine's rule takes it over its ten samples.
        double slope = slope(w);
        if (down > DOWN_STEPS_ALLOWED || slope <= 0) {
            return null;
        }
        double secondsLeft = (o.memoryLimit() - o.rssBytes()) / slope;
        if (secondsLeft > HORIZON_SECONDS) {
            return null;
        }
        return recommend(o, Recommendation.Action.RESTART, 1, String.format("memory growing %.1f MiB/s: at its limit "
                + "in about %.0f s", slope / (1 << 20), secondsLeft));
    }

    /** Per second, samples one second apart (the cadence). */
    private static double slope(long[] w) {
        double mt = (SAMPLES - 1) / 2.0;
        double mb = 0;
        for (long b : w) {
            mb += b;
        }
        mb /= SAMPLES;
        double num = 0;
        double den = 0;
        for (int i = 0; i < SAMPLES; i++) {
            num += (i - mt) * (w[i] - mb);
            den += (i - mt) * (i - mt);
        }
        return num / den;
    }
}
