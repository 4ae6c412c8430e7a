package dev.atomic.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atomic.console.service.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

@Command(name = "top", mixinStandardHelpOptions = true,
        description = {"A live view of a running instance, refreshed every second: per component its state, CPU %, "
                + "memory, calls a second and restarts, busiest first, from the console service (docs/console.md). "
                + "Ctrl-C ends it. With --json, one JSON line per refresh. Exit status 1 when the instance is not "
                + "running."})
final class TopCommand extends ConsoleCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    /** Home, clear the screen: each refresh replaces the last. */
    static final String REDRAW = "\u001b[H\u001b[2J";

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "0",
            description = "Refresh N times, then stop (default: until Ctrl-C).")
    int iterations;

    @Option(names = "--every", converter = DurationConverter.class, defaultValue = "1s",
            description = "Time between refreshes (default: ${DEFAULT-VALUE}).")
    Duration every;

    @Override
    boolean execute() throws IOException {
        boolean terminal = LiveView.terminal() && !json;
        for (int n = 0; iterations == 0 || n < iterations; n++) {
            if (n > 0) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return true;
                }
            }
            JsonNode top = result(Console.TOP, "");
            if (top == null) {
                return false;
            }
            if (json) {
                print(JSON.writeValueAsString(top));
            } else {
                print((terminal ? REDRAW : "") + table(instance, top));
            }
        }
        return true;
    }

    /** One refresh: a header, then a line per component. */
    static String table(String instance, JsonNode top) {
        StringBuilder out = new StringBuilder("atomic top — instance '" + instance + "' at "
                + TIME.format(Instant.ofEpochMilli(top.path("timeMillis").asLong())) + "\n");
        out.append(String.format("%-10s %-8s %-22s %7s %8s %8s %9s %8s%n", "COMPONENT", "KERNEL", "STATE", "PID",
                "CPU%", "MEM", "CALLS/S", "RESTARTS"));
        for (JsonNode c : top.path("components")) {
            out.append(String.format("%-10s %-8s %-22s %7s %8s %8s %9s %8s%n", c.path("id").asText(),
                    c.path("kernel").asText(), c.path("state").asText(), orDash(c.get("pid")),
                    orDash(c.get("cpuPercent")), mib(c.get("rssBytes")), orDash(c.get("callsPerSecond")),
                    c.path("restarts").asText()));
        }
        return out.toString().stripTrailing();
    }
}
