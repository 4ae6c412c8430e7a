package dev.atomic.policy;

import java.util.List;

/** Observations for tests, built a field at a time. */
public record Ticks(String component, long rss, long limit, double psi, double rate, long budget, long errors,
                    long restarts, long progress, int pending) {
    public static Ticks of(String component) {
        return new Ticks(component, 100L << 20, 400L << 20, 0, 100, 1000, 0, 0, 0, 0);
    }

    public Ticks rss(long bytes) {
        return new Ticks(component, bytes, limit, psi, rate, budget, errors, restarts, progress, pending);
    }

    public Ticks psi(double p) {
        return new Ticks(component, rss, limit, p, rate, budget, errors, restarts, progress, pending);
    }

    public Ticks rate(double r) {
        return new Ticks(component, rss, limit, psi, r, budget, errors, restarts, progress, pending);
    }

    public Ticks errors(long e) {
        return new Ticks(component, rss, limit, psi, rate, budget, e, restarts, progress, pending);
    }

    public Ticks restarts(long r) {
        return new Ticks(component, rss, limit, psi, rate, budget, errors, r, progress, pending);
    }

    public Ticks progress(long p, int waiting) {
        return new Ticks(component, rss, limit, psi, rate, budget, errors, restarts, p, waiting);
    }

    /** The observation at second {@code s}. */
    public Observation at(long s) {
        return new Observation(s * 1000, component, "services", 0.1, rss, 0, limit, psi,
                List.of(new Observation.Lane("requests", rate, 500)), errors, restarts, progress, pending, budget,
                List.of());
    }
}
