package dev.atomic.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The idle benchmark's figures from what was measured: CPU ticks (1/100 s, the kernel's USER_HZ) the sleepers used
 * over the window, on demand (frozen) against always running; first-request latencies from frozen, from stopped and
 * to a service always running.
 */
final class IdleFigures {
    static final String MS = "ms";
    static final String TICKS = "ticks";
    static final long NANOS_PER_TICK = 10_000_000;
    static final Target ZERO_TICKS = Target.absolute(0, TICKS).because("frozen, a service uses no CPU at all");
    static final Target FROM_FROZEN = Target.absolute(5, MS);

    /**
     * What one run measured; a null value was not measured, and {@code why} says why.
     *
     * @param onDemandNanos CPU time of the sleepers over the window, frozen on demand
     * @param alwaysNanos   the same, always running
     * @param thaws         of the calls from frozen, how long the Engine waited for the Sovereign to thaw the service
     */
    record Measured(Duration window, Long onDemandNanos, Long alwaysNanos, List<Double> fromFrozen, List<Double> thaws,
                    List<Double> fromStopped, List<Double> running, String whyOnDemand, String whyAlways) {
    }

    private IdleFigures() {
    }

    static List<Figure> build(Measured m) {
        List<Figure> figures = new ArrayList<>();
        long seconds = m.window().toSeconds();
        Double onDemand = ticks(m.onDemandNanos());
        Double always = ticks(m.alwaysNanos());
        String cpu = "CPU used by " + IdleSystem.SLEEPERS + " idle services over " + seconds + " s, ";
        figures.add(withBaseline(ZERO_TICKS.judge(cpu + "on demand (frozen)", onDemand, TICKS, null, m.whyOnDemand()),
                always));
        figures.add(Figure.info(cpu + "always running (the baseline)", always, TICKS, m.whyAlways()));
        Double running = percentile(m.running(), 50);
        figures.add(withBaseline(FROM_FROZEN.judge("first request p50, from frozen", percentile(m.fromFrozen(), 50), MS,
                null, m.whyOnDemand()), running));
        figures.add(Figure.info("first request p90, from frozen", percentile(m.fromFrozen(), 90), MS,
                trials(m.fromFrozen(), m.whyOnDemand())));
        figures.add(Figure.info("thaw p50, the Engine asking the Sovereign until told (part of the first request from "
                + "frozen)", percentile(m.thaws(), 50), MS, trials(m.thaws(), m.whyOnDemand())));
        Double stopped = percentile(m.fromStopped(), 50);
        figures.add(new Figure("first request p50, from stopped (a JVM started)", stopped, MS, running,
                ratio(stopped, running), null, null, trials(m.fromStopped(), m.whyOnDemand())));
        figures.add(Figure.info("request p50, always running", running, MS, trials(m.running(), m.whyOnDemand())));
        return figures;
    }

    /** An absolute target's figure, with the always-running figure beside it for comparison. */
    private static Figure withBaseline(Figure judged, Double baseline) {
        return new Figure(judged.name(), judged.value(), judged.unit(), baseline, ratio(judged.value(), baseline),
                judged.target(), judged.met(), judged.note());
    }

    private static Double ratio(Double value, Double baseline) {
        return value == null || baseline == null || baseline <= 0 ? null : Target.significant(value / baseline);
    }

    static Double ticks(Long nanos) {
        return nanos == null ? null : Target.significant((double) nanos / NANOS_PER_TICK);
    }

    /** Nearest rank; null for no samples. */
    static Double percentile(List<Double> samples, int p) {
        if (samples == null || samples.isEmpty()) {
            return null;
        }
        List<Double> sorted = samples.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return Target.significant(sorted.get(Math.max(0, rank - 1)));
    }

    private static String trials(List<Double> samples, String why) {
        return samples == null || samples.isEmpty() ? why : samples.size() + " trials";
    }
}
