package dev.atomic.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One setting of the failover benchmark, measured in one boot: every takeover after a kill, the kills after which the
 * new Engine routed nothing within the Sovereign's one-second wait, and the books of the traffic.
 *
 * @param losses  null when the run failed before the books were read
 * @param whyNone why nothing was measured, or null
 */
record FailoverSide(boolean warm, List<Takeover> takeovers, int unrouted, FailoverLedger.Losses losses,
                    String whyNone) {
    FailoverSide {
        takeovers = List.copyOf(takeovers);
    }

    static FailoverSide none(boolean warm, String why) {
        return new FailoverSide(warm, List.of(), 0, null, why);
    }

    String label() {
        return warm ? "warm standby" : "cold restart";
    }

    int kills() {
        return takeovers.size() + unrouted;
    }

    /** The {@code percentile} (nearest rank) of a stage over every takeover, or null when there was none. */
    Double percentile(ToDoubleFunction<Takeover> stage, double percentile) {
        if (takeovers.isEmpty()) {
            return null;
        }
        double[] sorted = takeovers.stream().mapToDouble(stage).sorted().toArray();
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    Double max(ToDoubleFunction<Takeover> stage) {
        return takeovers.isEmpty() ? null : takeovers.stream().mapToDouble(stage).max().orElseThrow();
    }

    long stillStarting() {
        return takeovers.stream().filter(Takeover::stillStarting).count();
    }

    /** One line for the progress output. */
    String summary() {
        if (whyNone != null) {
            return whyNone;
        }
        return String.format("%d kills: failover p50 %.1f ms, max %.1f ms%s; %d calls, %d lost", kills(),
                percentile(Takeover::failover, 50), max(Takeover::failover),
                unrouted == 0 ? "" : ", " + unrouted + " with nothing routed within 1 s", losses.calls(),
                losses.lost());
    }

    @Override
    public String toString() {
        return label() + ": " + summary() + " " + Arrays.toString(takeovers.stream().mapToDouble(Takeover::failover)
                .toArray());
    }
}
