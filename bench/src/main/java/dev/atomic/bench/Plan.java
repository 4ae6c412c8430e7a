package dev.atomic.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How much to measure. Each path runs {@code rounds} times, interleaved with the other paths, each time in fresh
 * JVMs; the rounds' samples are pooled. Interleaving spreads a noisy neighbour's bursts over every path instead
 * of letting one path take them all.
 *
 * @param counts per workload, for the paths measured between two JVMs
 * @param inBoot per workload, for the paths measured inside a real Atomic boot: fewer, since every run also pays a
 *               boot and its calls are slower
 */
record Plan(String name, int rounds, Map<Workload, Counts> counts, Map<Workload, Counts> inBoot) {
    Plan {
        counts = Map.copyOf(counts);
        inBoot = Map.copyOf(inBoot);
    }

    /** About four minutes on a 2-core host. */
    static Plan full() {
        return new Plan("full", 3, Map.of(
                Workload.ROUND_TRIP_64B, new Counts(20_000, 200_000),
                Workload.COPY_64KIB, new Counts(5_000, 20_000),
                Workload.PIPELINED_64B, new Counts(20_000, 500_000)), Map.of(
                Workload.ROUND_TRIP_64B, new Counts(5_000, 50_000),
                Workload.COPY_64KIB, new Counts(2_000, 10_000),
                Workload.ZERO_COPY_64KIB, new Counts(2_000, 10_000),
                Workload.PIPELINED_64B, new Counts(6_400, 96_000),
                Workload.CRITICAL_64B, new Counts(5_000, 50_000),
                Workload.CRITICAL_64B_FLOODED, new Counts(5_000, 50_000)));
    }

    /** A smoke run of about forty seconds: same paths, fewer samples, so the tails mean less. */
    static Plan quick() {
        return new Plan("quick", 1, Map.of(
                Workload.ROUND_TRIP_64B, new Counts(20_000, 50_000),
                Workload.COPY_64KIB, new Counts(2_000, 5_000),
                Workload.PIPELINED_64B, new Counts(20_000, 100_000)), Map.of(
                Workload.ROUND_TRIP_64B, new Counts(2_000, 5_000),
                Workload.COPY_64KIB, new Counts(1_000, 2_000),
                Workload.ZERO_COPY_64KIB, new Counts(1_000, 2_000),
                Workload.PIPELINED_64B, new Counts(3_200, 16_000),
                Workload.CRITICAL_64B, new Counts(2_000, 5_000),
                Workload.CRITICAL_64B_FLOODED, new Counts(2_000, 5_000)));
    }

    Counts counts(BridgePath path, Workload workload) {
        Counts c = (path.booted() ? inBoot : counts).get(workload);
        if (c == null) {
            throw new IllegalArgumentException("the " + name + " plan has no counts for " + path.label() + ", "
                    + workload.label());
        }
        return c;
    }

    /** One sentence for the results file: how the figures were obtained. */
    String describe() {
        return rounds + " interleaved round(s) per path, each in fresh JVMs. Between two JVMs of their own, per round "
                + describe(counts) + ". Inside a real Atomic boot (a fresh Sovereign, Engine and component hosts per "
                + "round; ping first calls for " + Ping.SETTLE.toMillis() + " ms untimed), per round "
                + describe(inBoot) + ". Percentiles pool every round's samples; throughput is messages over measured time.";
    }

    private static String describe(Map<Workload, Counts> counts) {
        return new EnumMap<>(counts).entrySet().stream().map(e -> e.getKey().label() + ": " + e.getValue().warmup()
                        + " warm-up + " + e.getValue().measured() + " measured")
                .collect(Collectors.joining("; "));
    }
}
