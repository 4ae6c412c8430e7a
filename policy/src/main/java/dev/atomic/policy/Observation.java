package dev.atomic.policy;

import java.util.List;

/**
 * What was seen of one component (or of a kernel as a whole, {@code component} then {@code kernel/<name>}) at one
 * tick of the observation cadence. Rates and counts per interval are over the interval since the previous tick;
 * {@code restarts} and {@code progress} are running totals, so a reader that missed a tick loses nothing.
 *
 * @param timeMillis  wall-clock milliseconds of the tick
 * @param cpu         CPU used over the interval, in CPUs (1.0: one CPU the whole interval)
 * @param rssBytes    resident memory now
 * @param rssSlope    resident memory's least-squares slope over the last {@link Trend#WINDOW} ticks, bytes per second
 * @param memoryLimit its memory limit in bytes (0: none)
 * @param psiMemory   memory pressure, PSI "some" avg10 in percent; -1 where the host does not have PSI
 * @param lanes       per lane: messages per second and p99 latency
 * @param errors      errors over the interval (failed calls, rejected frames, error log lines)
 * @param restarts    restarts of the component so far
 * @param progress    its progress count so far (heartbeats, answered requests): stuck when it is hung
 * @param pending     requests to it in flight now
 * @param rateBudget  the messages per second it is allowed (its static rate limit; 0: none)
 * @param faults      fault kinds reported against it over the interval ({@code LEAK}, {@code CRASH}...)
 */
public record Observation(long timeMillis, String component, String kernel, double cpu, long rssBytes,
                          double rssSlope, long memoryLimit, double psiMemory, List<Lane> lanes, long errors,
                          long restarts, long progress, int pending, long rateBudget, List<String> faults) {

    /** No PSI on this host (kernel without CONFIG_PSI, or not readable). */
    public static final double NO_PSI = -1;

    /** One lane's traffic over the interval: messages per second, and their p99 latency in microseconds. */
    public record Lane(String name, double rate, double latencyMicros) {
    }

    public Observation {
        if (component == null || component.isBlank()) {
            throw new IllegalArgumentException("an observation names its component");
        }
        lanes = lanes == null ? List.of() : List.copyOf(lanes);
        faults = faults == null ? List.of() : List.copyOf(faults);
        kernel = kernel == null ? "" : kernel;
    }

    /** Messages per second over all its lanes. */
    public double rate() {
        return lanes.stream().mapToDouble(Lane::rate).sum();
    }

    /** The worst p99 latency of its lanes, in microseconds (0 without traffic). */
    public double latencyMicros() {
        return lanes.stream().mapToDouble(Lane::latencyMicros).max().orElse(0);
    }

    /** Resident memory as a share of its limit (0 without a limit). */
    public double memoryShare() {
        return memoryLimit > 0 ? (double) rssBytes / memoryLimit : 0;
    }
}
