package dev.atomic.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.drivers.sensor.ReadingStats;
import dev.atomic.policy.live.ModelCache;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One side of the live policy benchmark: {@link StormSystem#POLICY_LIVE} booted with the learned policies on (policy
 * 2's model in its home, the Engine allowed planned restarts) or off, the sensor sending {@link #RATE} readings a
 * second throughout, {@link SlowLeaker} leaking from 75 s of its life; what came of it, read from what Atomic said.
 */
final class PolicyLive {
    static final int RATE = 20_000;
    /** CPU per event is measured over this window after the boot, before the leak begins. */
    static final int CPU_FROM_SECONDS = 30;
    static final int CPU_SECONDS = 30;
    /** How long after the boot the leaker's fate is waited for. */
    static final int OUTCOME_SECONDS = 240;
    private static final String LEAKER = StormSystem.LEAKER + " (dak)";
    private static final Pattern BACK = Pattern.compile(Pattern.quote(LEAKER) + " is back: pid \\d+, recovered "
            + "([0-9.]+) ms");
    private static final Pattern PROACTIVE = Pattern.compile("proactive: restarting (\\S+) ");

    /**
     * @param leakerFaults   fault reports of the leaker
     * @param planned        planned restarts of the leaker on a policy's prediction
     * @param plannedOthers  planned restarts of components that were not leaking (false alarms)
     * @param recoveryMillis the leaker's first recovery: from its fault (or its exit, planned) to serving again
     */
    record Side(boolean on, int leakerFaults, int faults, int planned, int plannedOthers, Double recoveryMillis,
                long engineNanos, long sinkNanos, long readings, int windowChanges, String windows) {
        Double cpuPerEvent() {
            return readings == 0 ? null : Target.significant((double) (engineNanos + sinkNanos) / readings);
        }
    }

    private PolicyLive() {
    }

    static Side run(boolean on, Path models, PrintStream progress) throws Exception {
        Map<String, String> env = on ? Map.of("ATOMIC_ENGINE_PROACTIVE", "restart")
                : Map.of("ATOMIC_ENGINE_POLICIES", "off");
        try (StormRun run = StormRun.boot(StormSystem.POLICY_LIVE, env, home -> {
            if (on) {
                Path to = home.resolve("models");
                Files.createDirectories(to);
                for (ModelCache<?> cache : ModelCache.ALL) {
                    Path model = cache.file(models);
                    Files.copy(model, to.resolve(model.getFileName()));
                }
            }
        })) {
            long ready = System.nanoTime();
            run.order("rate " + RATE);
            TimeUnit.SECONDS.sleep(CPU_FROM_SECONDS);
            long engine = run.cpuNanos("engine");
            long sink = run.cpuNanos("dak/sensor-sink");
            ReadingStats.Snapshot before = run.readings();
            TimeUnit.SECONDS.sleep(CPU_SECONDS);
            long engineNanos = run.cpuNanos("engine") - engine;
            long sinkNanos = run.cpuNanos("dak/sensor-sink") - sink;
            long readings = run.readings().readings() - before.readings();
            List<JsonNode> changes = windowChanges(run.logDir().resolve("tunables.jsonl"));
            progress.printf(" %d readings, %.0f ns of CPU each (Engine and sensor-sink);", readings,
                    (double) (engineNanos + sinkNanos) / Math.max(1, readings));
            long end = ready + TimeUnit.SECONDS.toNanos(OUTCOME_SECONDS);
            while (System.nanoTime() - end < 0 && run.transcript().stream().noneMatch(l -> BACK.matcher(l).find())) {
                TimeUnit.SECONDS.sleep(1);
            }
            TimeUnit.SECONDS.sleep(2);
            List<String> said = run.transcript();
            said.stream().filter(l -> l.contains("proactive: restarting") || l.contains("policy 2"))
                    .forEach(l -> progress.printf("%n    %s", l));
            Side side = new Side(on, count(said, "FAULT " + LEAKER), count(said, "FAULT "),
                    (int) said.stream().map(PROACTIVE::matcher).filter(Matcher::find)
                            .filter(m -> m.group(1).equals(StormSystem.LEAKER)).count(),
                    (int) said.stream().map(PROACTIVE::matcher).filter(Matcher::find)
                            .filter(m -> !m.group(1).equals(StormSystem.LEAKER)).count(),
                    recovery(said), engineNanos, sinkNanos, readings, changes.size(), windows(changes));
            progress.printf("%n    %s: %d fault(s), %d planned restart(s) of it, %d of others; recovered in %s ms%n",
                    StormSystem.LEAKER, side.leakerFaults(), side.planned(), side.plannedOthers(),
                    side.recoveryMillis());
            return side;
        }
    }

    /** Policy 4's changes to the sensor's window by the end of the CPU measurement, from the tunables' log. */
    static List<JsonNode> windowChanges(Path log) throws java.io.IOException {
        List<JsonNode> changes = new java.util.ArrayList<>();
        if (Files.exists(log)) {
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(log)) {
                JsonNode c = json.readTree(line);
                if (c.path("tunable").asText().equals("coalescing.window.sensor")) {
                    changes.add(c);
                }
            }
        }
        return changes;
    }

    static String windows(List<JsonNode> changes) {
        if (changes.isEmpty()) {
            return "the sensor's coalescing window stayed on its default";
        }
        JsonNode last = changes.getLast();
        return "last to " + last.path("to").asLong() + " us per 1,000 events/s (default 100), by "
                + last.path("policy").asText() + ": " + last.path("reason").asText();
    }

    private static int count(List<String> said, String what) {
        return (int) said.stream().filter(l -> l.contains(what)).count();
    }

    private static Double recovery(List<String> said) {
        OptionalDouble first = said.stream().map(BACK::matcher).filter(Matcher::find)
                .mapToDouble(m -> Double.parseDouble(m.group(1))).findFirst();
        return first.isPresent() ? first.getAsDouble() : null;
    }
}
