package dev.atomic.bench;

import java.util.List;

/** What a figure reports about a measurement, rounded to what it can tell (HdrHistogram keeps 3 significant digits). */
enum Metric {
    P50("p50", "us"), P99("p99", "us"), P99_9("p99.9", "us"), THROUGHPUT("throughput", "msg/s");

    private final String label;
    private final String unit;

    Metric(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    String label() {
        return label;
    }

    String unit() {
        return unit;
    }

    /** Pipelined runs time no single message: they report only throughput. */
    static List<Metric> of(Workload workload) {
        return workload.pipelined() ? List.of(THROUGHPUT) : List.of(values());
    }

    double of(Measurement m) {
        return switch (this) {
            case P50 -> Target.significant(m.micros(50));
            case P99 -> Target.significant(m.micros(99));
            case P99_9 -> Target.significant(m.micros(99.9));
            case THROUGHPUT -> Math.round(m.perSecond());
        };
    }
}
