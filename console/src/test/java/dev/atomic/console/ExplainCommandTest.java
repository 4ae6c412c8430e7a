package dev.atomic.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.engine.PolicyState;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code atomic explain} and {@code atomic tunables} say in words what the Engine's policy loop last wrote. */
class ExplainCommandTest {
    @TempDir
    Path home;

    private int status;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AtomicCli());
        cli.setOut(new PrintWriter(out));
        status = cli.execute(args);
        return out.toString();
    }

    private void write(PolicyState state) throws Exception {
        Path dir = home.resolve("logs").resolve("p");
        Files.createDirectories(dir);
        new ObjectMapper().writeValue(dir.resolve(PolicyState.FILE).toFile(), state);
    }

    private static Observation seen(String component, double rate) {
        return new Observation(1_700_000_000_000L, component, "services", 0.25, 96L << 20, 2.5 * (1 << 20),
                256L << 20, Observation.NO_PSI, List.of(new Observation.Lane("requests", rate, 0)), 0, 1, 4711, 3,
                1000, List.of());
    }

    @Test
    void explainsAComponentsLastObservationAndEachPolicysRecommendation() throws Exception {
        write(new PolicyState(1_700_000_000_000L, List.of(), Map.of("calm", seen("calm", 120), "flood",
                seen("flood", 5000)), Map.of("calm", Map.of(), "flood", Map.of("all-thresholds", new Recommendation(
                "flood", Recommendation.Action.THROTTLE, 1, "5000 messages/s, over its budget of 1000",
                "all-thresholds"))), List.of(), Map.of("flood", List.of(new PolicyState.Action(1_700_000_002_000L,
                "engine", "throttle", "throttled: its lanes read no further than its budget", "4 storm windows over",
                3, 1_700_000_000_000L), new PolicyState.Action(1_699_999_990_000L, "tier", "demote",
                "demoted to Tier 2", "it restarted", 1, 1_699_999_990_000L)))));
        String flood = run("explain", "flood", "--home", home.toString(), "--instance", "p");
        assertEquals(0, status);
        assertTrue(flood.startsWith("flood (services), as the Engine last saw it at "), flood);
        assertTrue(flood.contains("0.25 CPUs; resident memory 96 MiB of its 256 MiB limit, growing 2.50 MiB/s over "
                + "the last 30 s; 5000 messages/s against a budget of 1000; 3 request(s) waiting; progress count "
                + "4711; 1 recent restart(s); no memory pressure figure (no PSI on this host)"), flood);
        assertTrue(flood.contains("all-thresholds recommends THROTTLE (confidence 1.00): 5000 messages/s, over its "
                + "budget of 1000"), flood);
        String calm = run("explain", "calm", "--home", home.toString(), "--instance", "p");
        assertTrue(flood.contains("What the Engine did to it, newest first (the last 2):\n    "
                + ExplainCommand.TIME.format(java.time.Instant.ofEpochMilli(1_700_000_002_000L))
                + "  throttled: its lanes read no further than its budget (3 times since "
                + ExplainCommand.TIME.format(java.time.Instant.ofEpochMilli(1_700_000_000_000L))
                + "); why: 4 storm windows over; decided by the Engine's own rules\n"), flood);
        assertTrue(flood.contains("  demoted to Tier 2; why: it restarted; decided by policy 'tier'\n"), flood);
        var json = new ObjectMapper().readTree(run("explain", "flood", "--json", "--home", home.toString(),
                "--instance", "p"));
        assertEquals(0, status);
        assertEquals(5000, json.get("observation").get("lanes").get(0).get("rate").asDouble());
        assertEquals("THROTTLE", json.get("beliefs").get("all-thresholds").get("action").asText());
        assertEquals("demote", json.get("actions").get(1).get("kind").asText());
        assertEquals(3, json.get("actions").get(0).get("times").asInt());
        assertTrue(calm.contains("No policy recommends anything for it"), calm);
        assertTrue(calm.contains("The Engine has done nothing to it since it started."), calm);
        String ghost = run("explain", "ghost", "--home", home.toString(), "--instance", "p");
        assertEquals(1, status);
        assertTrue(ghost.contains("has not observed 'ghost'"), ghost);
    }

    @Test
    void listsTunablesWithTheirBoundsAndWhoSetThem() throws Exception {
        write(new PolicyState(1, List.of(new PolicyState.Tunable("storm.window", "MILLIS", 10, 500, 100,
                "engine/storm", 30, 200, "coalescing", "bursts of 40 events", 1_700_000_000_000L),
                new PolicyState.Tunable("demo.memory", "BYTES", 1, 2, 1, "engine/limits", 60, 1, null, null, 0)),
                Map.of(), Map.of(), List.of(), Map.of()));
        String out = run("tunables", "--home", home.toString(), "--instance", "p");
        assertTrue(out.contains("storm.window = 200 ms  [10 ms, 500 ms], default 100 ms, owned by engine/storm, decays "
                + "after 30 s\n    set by coalescing at "), out);
        assertTrue(out.contains(": bursts of 40 events\n"), out);
        assertTrue(out.contains("demo.memory = 1 bytes  [1 bytes, 2 bytes], default 1 bytes, owned by engine/limits, decays after "
                + "60 s\n    on its default\n"), out);
    }

    @Test
    void saysSoWhenTheEngineNeverWroteAnything() {
        String out = run("tunables", "--home", home.toString(), "--instance", "none");
        assertEquals(1, status);
        assertTrue(out.contains("does not exist"), out);
    }
}
