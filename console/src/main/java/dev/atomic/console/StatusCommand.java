package dev.atomic.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atomic.console.service.Console;
import dev.atomic.sovereign.ControlSocket;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"What a running instance is: the release each layer runs and the Engines (from the Sovereign), "
                + "then each kernel's components with their state, tier, pid, restarts, memory, CPU and calls (from "
                + "the console service, docs/console.md). A system without a console service shows the Sovereign's "
                + "view of its components. Exit status 1 when the instance is not running."})
final class StatusCommand extends ConsoleCommand {
    @Override
    boolean execute() throws IOException {
        List<String> sovereign = new ArrayList<>();
        if (!ControlSocket.ask(socket(), "status", sovereign::add)) {
            notRunning();
            return false;
        }
        Answer answer = ask(Console.STATUS, "");
        if (!answer.ok()) {
            // No console (a test system, or one that is down): the Sovereign's own view, and why.
            sovereign.forEach(this::print);
            print("console: " + answer.text());
            return answer.running();
        }
        JsonNode status = answer.tree();
        if (json) {
            ((ObjectNode) status).set("sovereign", PRETTY.valueToTree(sovereign));
            print(PRETTY.writeValueAsString(status));
            return true;
        }
        sovereign.stream().filter(line -> !line.startsWith("component")).forEach(this::print);
        for (JsonNode kernel : status.path("kernels")) {
            print("kernel " + kernel.path("kernel").asText());
            for (JsonNode c : kernel.path("components")) {
                print(line(c));
            }
        }
        print(status.path("faults").asInt() + " fault(s) seen by the console ('atomic faults')");
        return true;
    }

    static String line(JsonNode c) {
        String cpu = c.path("cpuPercent").isNull() ? "-" : c.path("cpuPercent").asText() + "%";
        return String.format("  %-10s %-22s tier %s%s  pid %-7s restarts %-3s mem %s of %s  cpu %s (%s ms)  "
                        + "calls %s/s", c.path("id").asText(), c.path("state").asText(), c.path("tier").asText(),
                c.has("demotedFrom") ? " (demoted from tier 1)" : "", orDash(c.get("pid")), c.path("restarts").asText(),
                mib(c.get("rssBytes")), mib(c.get("memoryLimitBytes")), cpu, orDash(c.get("cpuMillis")),
                orDash(c.get("callsPerSecond")))
                + (c.has("gaveUp") ? "\n             given up: " + c.path("gaveUp").asText() : "");
    }
}
