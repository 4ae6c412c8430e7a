package dev.atomic.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.engine.FaultReport;
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

/** {@code atomic faults} lists what the Engines wrote to faults.jsonl, whole or per component, in words or JSON. */
class FaultsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void listsEveryReportWithItsEvidenceActionAndTimes() throws Exception {
        write(new FaultReport("a-1", 1_700_000_000_000L, "intruder", "dak", FaultReport.Kind.POLICY, "ptrace",
                        "attempted ptrace(16902, 12) by 1, a call its policy traps", Map.of("syscall", "ptrace",
                        "errno", "EPERM"), "denied with EPERM by the Engine; the component keeps running", 40_000, -1, 1),
                new FaultReport("a-2", 1_700_000_001_000L, "demo-app", "dak", FaultReport.Kind.CRASH, "",
                        "process 12 is gone, killed by signal 9 (SIGKILL)", Map.of("lastLog", List.of("demo-app: up")),
                        "restarting", 1_200_000, -1, 1),
                new FaultReport("a-3", 1_700_000_002_000L, "intruder", "dak", FaultReport.Kind.POLICY, "ptrace",
                        "41 more like this", Map.of(), "denied with EPERM", 40_000, -1, 41));
        // The crash's report again, once the component was back: the last line of an id is the one that counts.
        write(new FaultReport("a-2", 1_700_000_001_000L, "demo-app", "dak", FaultReport.Kind.CRASH, "",
                "process 12 is gone, killed by signal 9 (SIGKILL)", Map.of("lastLog", List.of("demo-app: up")),
                "restarting", 1_200_000, 234_900_000, 1));

        String all = run("faults", "--home", home.toString(), "--instance", "f");
        assertTrue(all.startsWith("43 fault(s) of instance 'f' in 3 report(s)"), all);
        assertTrue(all.contains("intruder (dak)  POLICY ptrace\n    attempted ptrace(16902, 12) by 1"), all);
        assertTrue(all.contains("    denied with EPERM by the Engine; the component keeps running\n    detected in 40 µs\n"),
                all);
        assertTrue(all.contains("demo-app (dak)  CRASH\n"), all);
        assertTrue(all.contains("detected in 1.2 ms; recovered in 234.9 ms\n    last log lines:\n      | demo-app: up\n"),
                all);
        assertTrue(all.contains("POLICY ptrace  x41\n"), all);

        String mine = run("faults", "--home", home.toString(), "--instance", "f", "--component", "demo-app");
        assertTrue(mine.startsWith("1 fault(s) of instance 'f', component 'demo-app' in 1 report(s)"), mine);
        assertTrue(!mine.contains("intruder"), mine);

        JsonNode json = JSON.readTree(run("faults", "--home", home.toString(), "--instance", "f", "--json"));
        assertEquals(3, json.size());
        assertEquals("intruder", json.get(0).get("component").asText());
        assertEquals("POLICY", json.get(0).get("kind").asText());
        assertEquals("ptrace", json.get(0).get("facts").get("syscall").asText());
        assertEquals(234_900_000, json.get(1).get("recoverNanos").asLong());
        assertEquals(41, json.get(2).get("count").asLong());
    }

    @Test
    void saysSoWhenThereAreNone() throws Exception {
        String missing = run("faults", "--home", home.toString(), "--instance", "f");
        assertEquals("no faults recorded for instance 'f': " + FaultsCommand.file(home, "f") + " does not exist (no "
                + "Engine of this instance has recorded one, or it never booted)\n", missing);
        assertEquals("[ ]\n", run("faults", "--home", home.toString(), "--instance", "f", "--json"));
        write(new FaultReport("a-1", 1L, "echo", "services", FaultReport.Kind.EXIT, "", "exited", Map.of(), "restarting",
                1, -1, 1));
        assertEquals("no faults recorded for instance 'f', component 'demo-app' (" + FaultsCommand.file(home, "f")
                + ")\n", run("faults", "--home", home.toString(), "--instance", "f", "--component", "demo-app"));
    }

    private void write(FaultReport... reports) throws Exception {
        Path file = FaultsCommand.file(home, "f");
        Files.createDirectories(file.getParent());
        StringBuilder lines = new StringBuilder();
        for (FaultReport r : reports) {
            lines.append(JSON.writeValueAsString(r)).append('\n');
        }
        Files.writeString(file, lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AtomicCli());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute(args));
        return out.toString();
    }
}
