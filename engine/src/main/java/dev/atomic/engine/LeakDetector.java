package dev.atomic.engine;

/**
 * Judges one component leaking memory from samples of its resident memory: steadily growing over the last
 * {@link #SAMPLES} samples, past half its limit, and, at the least-squares slope, due at its limit within
 * {@link #HORIZON_SECONDS} (or the horizon the tunable {@code leak.horizon.<id>} sets). Then it is restarted by the Engine before the kernel's OOM killer ends it mid-work.
 * Fed by the caller: tested without a clock.
 */
final class LeakDetector {
    static final int SAMPLES = 10;
    static final double HORIZON_SECONDS = 20;
    /** Steps that may go down in a window that still counts as steady growth (a GC may give some back). */
    private static final int DOWN_STEPS_ALLOWED = 2;

    private final long[] times = new long[SAMPLES];
    private final long[] bytes = new long[SAMPLES];
    private int count;
    /** With a finding: the span of the samples it was judged on (the time to detect). */
    long detectNanos;

    void reset() {
        count = 0;
    }

    /**
     * @param now   nanoseconds
     * @param rss   resident bytes now
     * @param limit its memory limit in bytes
     * @return the evidence when it leaks toward its limit, else null
     */
    String sample(long now, long rss, long limit) {
        return sample(now, rss, limit, HORIZON_SECONDS);
    }

    /** @param horizon seconds ahead: due at its limit within them, it is found leaking */
    String sample(long now, long rss, long limit, double horizon) {
        if (count == SAMPLES) {
            System.arraycopy(times, 1, times, 0, SAMPLES - 1);
            System.arraycopy(bytes, 1, bytes, 0, SAMPLES - 1);
            count--;
        }
        times[count] = now;
        bytes[count] = rss;
        count++;
        if (count < SAMPLES || rss < limit / 2) {
            return null;
        }
        int down = 0;
        for (int i = 1; i < count; i++) {
            down += bytes[i] < bytes[i - 1] ? 1 : 0;
        }
        double slope = slope(); // bytes per second
        if (down > DOWN_STEPS_ALLOWED || slope <= 0) {
            return null;
        }
        double secondsLeft = (limit - rss) / slope;
        if (secondsLeft > horizon) {
            return null;
        }
        detectNanos = times[count - 1] - times[0];
        double span = detectNanos / 1e9;
        return String.format("leaking: resident memory %d MiB of its %d MiB limit, growing %.1f MiB/s over the last "
                        + "%.1f s (%d samples): at its limit in about %.1f s", rss >> 20, limit >> 20, slope / (1 << 20),
                span, count, Math.max(0, secondsLeft));
    }

    private double slope() {
        double t0 = times[0];
        double mt = 0;
        double mb = 0;
        for (int i = 0; i < count; i++) {
            mt += (times[i] - t0) / 1e9;
            mb += bytes[i];
        }
        mt /= count;
        mb /= count;
        double num = 0;
        double den = 0;
        for (int i = 0; i < count; i++) {
            double dt = (times[i] - t0) / 1e9 - mt;
            num += dt * (bytes[i] - mb);
            den += dt * dt;
        }
        return den == 0 ? 0 : num / den;
    }
}
