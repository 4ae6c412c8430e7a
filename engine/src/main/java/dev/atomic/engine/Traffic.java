package dev.atomic.engine;

import java.util.Map;
import java.util.TreeMap;

/** Counts answered and failed requests per requester → service, and says so every few seconds. */
final class Traffic {
    private record Pair(String requester, String service) implements Comparable<Pair> {
        @Override
        public int compareTo(Pair o) {
            return (requester + service).compareTo(o.requester + o.service);
        }
    }

    private final Map<Pair, long[]> counts = new TreeMap<>();

    void answered(String requester, String service) {
        counts.computeIfAbsent(new Pair(requester, service), p -> new long[2])[0]++;
    }

    void failed(String requester, String service) {
        counts.computeIfAbsent(new Pair(requester, service), p -> new long[2])[1]++;
    }

    /** One line per pair that saw traffic since the last call; the counts restart. */
    String drain(long periodNanos) {
        StringBuilder out = new StringBuilder();
        counts.forEach((pair, c) -> {
            if (!out.isEmpty()) {
                out.append("; ");
            }
            out.append(pair.requester()).append(" → ").append(pair.service()).append(": ")
                    .append(c[0]).append(" answered, ").append(c[1]).append(" failed");
        });
        counts.clear();
        return out.isEmpty() ? "" : out.append(" in the last ").append(periodNanos / 1_000_000_000).append(" s").toString();
    }
}
