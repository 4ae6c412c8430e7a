package dev.atomic.component;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the observe capability shows of another component, as the Engine sent it: an event ({@code started},
 * {@code fault}) or a {@code telemetry} sample (state, restarts, calls, memory, CPU), with its facts as text. A copy:
 * nothing done to it reaches the component observed.
 */
public record Observation(String event, String component, String kernel, Map<String, String> facts) {
    public Observation {
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** The wire form: event, component, kernel, then {@code key=value} facts, tab-separated, UTF-8. */
    public static Observation parse(byte[] payload) {
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\t");
        if (parts.length < 3) {
            throw new IllegalArgumentException("an observation has an event, a component and a kernel");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        for (int i = 3; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                facts.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        return new Observation(parts[0], parts[1], parts[2], facts);
    }

    /** The wire form of one; tabs and line ends inside values become spaces. */
    public static byte[] format(String event, String component, String kernel, Map<String, ?> facts) {
        StringBuilder out = new StringBuilder(event).append('\t').append(component).append('\t').append(kernel);
        facts.forEach((k, v) -> out.append('\t').append(k).append('=').append(String.valueOf(v)
                .replace('\t', ' ').replace('\n', ' ').replace('\r', ' ')));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return event + " " + component + " (" + kernel + ") " + facts;
    }
}
