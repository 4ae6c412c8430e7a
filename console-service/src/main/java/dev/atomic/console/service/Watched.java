package dev.atomic.console.service;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Observation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the console knows of one component, from the Engine's observations: its last telemetry sample, and the
 * rates between the last two. Guarded by the console's lock.
 */
final class Watched {
    private final ComponentSpec spec;
    private String state = "not seen yet";
    private long pid;
    private long restarts;
    private int tier;
    private boolean demoted;
    private String idle;
    private String gaveUp;
    private long callsMade = -1;
    private long callsAnswered = -1;
    private long cpuMillis = -1;
    private long rssBytes = -1;
    private long sampledAt;
    private double cpuPercent = -1;
    private double callsPerSecond = -1;

    Watched(ComponentSpec spec) {
        this.spec = spec;
        this.tier = spec.tier();
    }

    String id() {
        return spec.id();
    }

    String kernel() {
        return spec.kernel().word();
    }

    String state() {
        return state;
    }

    double cpuPercent() {
        return cpuPercent;
    }

    /** An event or a sample; {@code nowMillis} times the rates. */
    void observed(Observation o, long nowMillis) {
        Map<String, String> f = o.facts();
        switch (o.event()) {
            case "started", "running" -> {
                state = "ready";
                pid = number(f, "pid", pid);
                restarts = number(f, "restarts", restarts);
            }
            case "fault" -> state = "fault: " + f.getOrDefault("kind", "?");
            case "telemetry" -> {
                state = f.getOrDefault("state", state);
                pid = number(f, "pid", pid);
                restarts = number(f, "restarts", restarts);
                tier = (int) number(f, "tier", tier);
                demoted = Boolean.parseBoolean(f.get("demoted"));
                idle = f.get("idle");
                gaveUp = f.get("gaveUp");
                long cpu = number(f, "cpuMillis", -1);
                long calls = number(f, "callsAnswered", -1) + number(f, "callsMade", -1);
                long elapsed = nowMillis - sampledAt;
                if (sampledAt > 0 && elapsed > 0 && cpu >= 0 && cpuMillis >= 0) {
                    cpuPercent = Math.max(0, 100.0 * (cpu - cpuMillis) / elapsed);
                    callsPerSecond = Math.max(0, 1000.0 * (calls - callsMade - callsAnswered) / elapsed);
                }
                cpuMillis = cpu;
                rssBytes = number(f, "rssBytes", -1);
                callsMade = number(f, "callsMade", -1);
                callsAnswered = number(f, "callsAnswered", -1);
                sampledAt = nowMillis;
            }
            default -> {
                // an event this console does not know yet: the next sample says the rest
            }
        }
    }

    /** The console itself, which observes everyone but itself: its own numbers from its own /proc. */
    void self(long rss, long cpu, long nowMillis) {
        state = "ready";
        if (sampledAt > 0 && nowMillis > sampledAt && cpuMillis >= 0) {
            cpuPercent = Math.max(0, 100.0 * (cpu - cpuMillis) / (nowMillis - sampledAt));
        }
        rssBytes = rss;
        cpuMillis = cpu;
        sampledAt = nowMillis;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", spec.id());
        m.put("kernel", kernel());
        m.put("kind", spec.kind());
        m.put("state", gaveUp != null ? "given up" : idle != null && !idle.equals("awake") ? "on demand, " + idle
                : idle != null ? "on demand, " + state : state);
        m.put("tier", tier);
        if (demoted) {
            m.put("demotedFrom", 1);
        }
        m.put("pid", pid > 0 ? pid : null);
        m.put("restarts", restarts);
        m.put("rssBytes", rssBytes >= 0 ? rssBytes : null);
        m.put("memoryLimitBytes", spec.memoryMaxBytes());
        m.put("cpuMillis", cpuMillis >= 0 ? cpuMillis : null);
        m.put("cpuPercent", cpuPercent >= 0 ? Math.round(cpuPercent * 10) / 10.0 : null);
        m.put("callsMade", callsMade >= 0 ? callsMade : null);
        m.put("callsAnswered", callsAnswered >= 0 ? callsAnswered : null);
        m.put("callsPerSecond", callsPerSecond >= 0 ? Math.round(callsPerSecond * 10) / 10.0 : null);
        if (gaveUp != null) {
            m.put("gaveUp", gaveUp);
        }
        return m;
    }

    private static long number(Map<String, String> facts, String key, long otherwise) {
        try {
            return facts.containsKey(key) ? Long.parseLong(facts.get(key)) : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
