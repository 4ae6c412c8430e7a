package dev.atomic.bench;

import dev.atomic.drivers.input.KeyStats;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The storm benchmark's figures: CPU per event with coalescing against without, a key press's p99 in storms against
 * quiet, and the Sovereign's orders during storms against seed 000's 10 ms.
 */
final class StormFigures {
    static final String NS = "ns";
    static final String US = "us";
    static final String MS = "ms";
    static final String CPU_OFF = "CPU per event, coalescing off (the baseline)";
    static final String KEYS_QUIET = "critical event (key press) p99, quiet";
    static final Target CPU = Target.atMost(0.6, CPU_OFF).because("seed 000: coalescing saves 40% of the CPU per event");
    static final Target KEYS = Target.atMost(2.0, KEYS_QUIET).because("the bridge benchmark's critical-lane target, "
            + "reused: a flood must not hold up the critical lane");
    static final Target ORDERS = Target.absolute(10, MS).because("seed 000: a recovery order is served within 10 ms "
            + "during a storm");
    static final Target LOST = Target.absolute(0, "events");
    /** The hops a key press takes (they add up to its latency), as the figures name them. */
    private static final Map<KeyStats.Hop, String> HOPS = Map.of(KeyStats.Hop.IN_DRIVER, "in the driver (the press to "
            + "its send)", KeyStats.Hop.TO_ENGINE, "to the Engine (the send to the Engine passing it on)",
            KeyStats.Hop.FROM_ENGINE, "from the Engine (to input-sink's handler)");

    private StormFigures() {
    }

    /** @param whyNone per side, why it was not measured (null when it was) */
    static List<Figure> build(StormMeasure.Cpu on, StormMeasure.Cpu off, String whyNoCpu, StormMeasure.Phase quiet,
                              StormMeasure.Phase storm, String whyNoStorm) {
        List<Figure> figures = new ArrayList<>();
        Double offValue = off == null ? null : off.perEvent();
        figures.add(CPU.judge("CPU per event, coalescing on", on == null ? null : on.perEvent(), NS, offValue,
                whyNoCpu != null ? whyNoCpu : cpuNote(on)));
        figures.add(Figure.info(CPU_OFF, offValue, NS, whyNoCpu != null ? whyNoCpu : cpuNote(off)));
        figures.add(Figure.info("Engine CPU per event, coalescing on", on == null ? null : on.enginePerEvent(), NS,
                whyNoCpu != null ? whyNoCpu : cpuNote(on)));
        figures.add(Figure.info("Engine CPU per event, coalescing off", off == null ? null : off.enginePerEvent(), NS,
                whyNoCpu));
        figures.add(Figure.info("the sensor's own CPU per event, coalescing on", on == null ? null
                : on.sensorPerEvent(), NS, whyNoCpu != null ? whyNoCpu : "not in the figure judged: what merging at "
                + "the source costs the source, beyond its idle use"));
        figures.add(Figure.info("the sensor's own CPU per event, coalescing off", off == null ? null
                : off.sensorPerEvent(), NS, whyNoCpu));
        figures.add(Figure.info("CPU per event in all (idle not subtracted), coalescing on", on == null ? null
                : on.grossPerEvent(), NS, whyNoCpu));
        figures.add(Figure.info("CPU per event in all (idle not subtracted), coalescing off", off == null ? null
                : off.grossPerEvent(), NS, whyNoCpu));
        Double quietP99 = quiet == null ? null : micros(quiet.keys(), 99);
        figures.add(KEYS.judge("critical event (key press) p99, during storms", storm == null ? null
                : micros(storm.keys(), 99), US, quietP99, whyNoStorm != null ? whyNoStorm : count(storm)));
        figures.add(Figure.info(KEYS_QUIET, quietP99, US, whyNoStorm != null ? whyNoStorm : count(quiet)));
        figures.add(Figure.info("critical event (key press) p50, during storms", storm == null ? null
                : micros(storm.keys(), 50), US, whyNoStorm));
        figures.add(Figure.info("critical event (key press) p50, quiet", quiet == null ? null
                : micros(quiet.keys(), 50), US, whyNoStorm));
        for (KeyStats.Hop hop : KeyStats.Hop.values()) {
            figures.add(Figure.info("key press p99, " + HOPS.get(hop) + ", quiet / during storms", quiet == null
                    ? null : micros(quiet.hop(hop), 99), US, whyNoStorm != null ? whyNoStorm : "during storms "
                    + micros(storm.hop(hop), 99) + " us, p50 " + micros(quiet.hop(hop), 50) + " / "
                    + micros(storm.hop(hop), 50) + " us"));
        }
        figures.add(LOST.judge("key presses lost, reordered or coalesced, quiet and during storms", storm == null
                ? null : (double) (storm.lost() + quiet.lost()), "events", null, whyNoStorm));
        figures.add(ORDERS.judge("recovery order served, max during storms", storm == null || storm.pings().isEmpty()
                ? null : served(storm, 100), MS, null, whyNoStorm != null ? whyNoStorm : storm.pings().isEmpty()
                ? "no order ping was made during a storm" : storm.pings().size() + " order pings"));
        figures.add(Figure.info("recovery order served, p50 during storms", storm == null || storm.pings().isEmpty()
                ? null : served(storm, 50), MS, whyNoStorm));
        figures.add(Figure.info("recovery order served, max quiet", quiet == null ? null : served(quiet, 100), MS,
                whyNoStorm));
        figures.add(Figure.info("recovery order round trip (to the Sovereign again), max during storms",
                storm == null || storm.pings().isEmpty() ? null : Target.significant(storm.pings().stream()
                        .mapToLong(StormRun.Ping::answered).max().orElseThrow() / 1e6), MS, whyNoStorm));
        figures.add(Figure.info("storm rate: readings the sensor attempted, best second", storm == null ? null
                : (double) storm.stormRate(), "events/s", whyNoStorm != null ? whyNoStorm : "the sensor's own "
                + "count; its SDK merges them within the window the Engine sets, and over its budget (200 000/s) "
                + "for 1 s it is cut off"));
        return figures;
    }

    private static String cpuNote(StormMeasure.Cpu cpu) {
        return "Engine and sensor-sink CPU beyond their idle use over " + cpu.readings() + " readings in "
                + cpu.frames() + " frames (" + cpu.coalescedFrames() + " of them coalesced); " + cpu.window();
    }

    private static String count(StormMeasure.Phase p) {
        return p.keys().getTotalCount() + " key presses" + (p.storms() > 0 ? " in " + p.storms() + " storm(s)" : "");
    }

    private static Double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? null : Target.significant(h.getValueAtPercentile(percentile) / 1e3);
    }

    /** The given percentile (100: the maximum) of the orders' time to be served, in ms. */
    private static double served(StormMeasure.Phase p, double percentile) {
        long[] sorted = p.pings().stream().mapToLong(StormRun.Ping::served).sorted().toArray();
        int at = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1);
        return Target.significant(sorted[Math.max(0, at)] / 1e6);
    }
}
