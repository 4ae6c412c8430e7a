package dev.atomic.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atomic.component.Say;
import dev.atomic.console.service.Console;
import dev.atomic.sovereign.ControlSocket;
import dev.atomic.engine.FaultLog;
import dev.atomic.engine.FaultReport;
import dev.atomic.sovereign.BootOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "faults", mixinStandardHelpOptions = true,
        description = {"List the fault reports of an instance, oldest first: which component, in which kernel, what "
                + "kind (EXIT, CRASH, HANG, STORM, CORRUPT_LANE, POLICY, PIDS_LIMIT, MEMORY_LIMIT, …), the evidence, "
                + "what the Engine did, and whether the component is back. A running instance's console service "
                + "answers (docs/console.md); with --file, or when the instance is not running or has no console, "
                + "the Engines' full reports are read from <home>/logs/<instance>/" + FaultLog.FILE + " (with what it "
                + "attempted, detection and recovery times, the last log lines; a line with a count stands for that "
                + "many like it)."})
final class FaultsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Option(names = "--instance", defaultValue = "atomic", description = "The instance (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--home", description = "Atomic's home, as for 'atomic boot'.")
    Path home;

    @Option(names = "--component", description = "Only this component's reports.")
    String component;

    @Option(names = "--json", description = "Print the reports as JSON: the console's answer, or with --file an "
            + "array of the full reports.")
    boolean json;

    @Option(names = "--file", description = "Read the Engines' full reports from " + FaultLog.FILE + ", not the "
            + "console.")
    boolean fromFile;

    @Spec
    CommandSpec spec;

    /** A trapped call is decided in microseconds: tenths of a millisecond would show 0.0. */
    private static String time(long nanos) {
        return nanos < 0 ? "?" : nanos < 1_000_000 ? nanos / 1000 + " µs" : Say.millis(nanos);
    }

    /** Where the Engines of an instance write their fault reports. */
    static Path file(Path home, String instance) {
        return home.resolve("logs").resolve(instance).resolve(FaultLog.FILE);
    }

    @Override
    public Integer call() throws Exception {
        Path home = this.home != null ? this.home : BootOptions.defaultHome();
        if (!fromFile) {
            ConsoleCommand.Answer answer = ConsoleCommand.ask(ControlSocket.path(home, instance), "console "
                    + Console.FAULTS);
            if (answer.ok()) {
                printConsole(answer.tree());
                return 0;
            }
            if (answer.running()) { // not running: the file is all there is, as the header below says
                spec.commandLine().getErr().println("(console: " + answer.text() + "; reading " + FaultLog.FILE + ")");
            }
        }
        Path file = file(home, instance);
        List<FaultReport> reports = FaultLog.read(file).stream()
                .filter(r -> component == null || r.component().equals(component)).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(reports));
            return 0;
        }
        String whose = "instance '" + instance + "'" + (component == null ? "" : ", component '" + component + "'");
        if (reports.isEmpty()) {
            out.println("no faults recorded for " + whose + (Files.exists(file) ? " (" + file + ")"
                    : ": " + file + " does not exist (no Engine of this instance has recorded one, or it never booted)"));
            return 0;
        }
        long total = reports.stream().mapToLong(FaultReport::count).sum();
        out.println(total + " fault(s) of " + whose + " in " + reports.size() + " report(s) (" + file + ")");
        for (FaultReport r : reports) {
            out.println(TIME.format(Instant.ofEpochMilli(r.timeMillis())) + "  " + r.component() + " (" + r.kernel()
                    + ")  " + r.kind() + (r.attempt().isEmpty() ? "" : " " + r.attempt())
                    + (r.count() > 1 ? "  x" + r.count() : ""));
            out.println("    " + r.evidence());
            out.println("    " + r.action());
            out.println("    detected in " + time(r.detectNanos()) + (r.kind().endsProcess ? "; "
                    + (r.recoverNanos() < 0 ? "not recovered (yet)" : "recovered in " + time(r.recoverNanos())) : ""));
            r.facts().forEach((k, v) -> {
                if (v instanceof List<?> lines && k.equals("lastLog")) {
                    out.println("    last log lines:" + (lines.isEmpty() ? " none" : ""));
                    lines.forEach(line -> out.println("      | " + line));
                } else {
                    out.println("    " + k + ": " + v);
                }
            });
        }
        return 0;
    }

    /** The console's answer: each fault it saw, and whether its component is back. */
    private void printConsole(JsonNode answer) throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<JsonNode> seen = new java.util.ArrayList<>();
        answer.path("faults").forEach(f -> {
            if (component == null || f.path("component").asText().equals(component)) {
                seen.add(f);
            }
        });
        if (json) {
            out.println(ConsoleCommand.PRETTY.writeValueAsString(answer));
            return;
        }
        out.println(seen.size() + " fault(s) seen by the console of instance '" + instance + "'"
                + (answer.path("omitted").asInt() > 0 ? " (" + answer.path("omitted").asInt() + " older not shown)" : "")
                + "; --file for the Engines' full reports");
        for (JsonNode f : seen) {
            out.println(TIME.format(Instant.ofEpochMilli(f.path("timeMillis").asLong())) + "  "
                    + f.path("component").asText() + " (" + f.path("kernel").asText() + ")  " + f.path("kind").asText());
            out.println("    " + f.path("evidence").asText());
            out.println("    " + f.path("action").asText());
            if (f.has("injected")) {
                out.println("    asked for: atomic inject " + f.path("component").asText() + " "
                        + f.path("injected").asText());
            }
            out.println("    " + (f.path("back").asBoolean() ? "back " + f.path("backAfterMillis").asLong()
                    + " ms later (pid " + f.path("pidAfter").asText() + ")" : "not back (yet)"));
        }
    }
}
