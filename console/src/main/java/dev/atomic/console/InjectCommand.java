package dev.atomic.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atomic.component.Injection;
import dev.atomic.console.service.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;

@Command(name = "inject", mixinStandardHelpOptions = true,
        description = {"Inject a fault into a running component, to watch what Atomic does: crash (the Engine kills "
                + "it with SIGKILL), hang, leak or storm (the component's own test hook, where it offers one). Asked "
                + "of the console service, which asks the Engine: audited, and refused unless the console's manifest "
                + "grants that component (docs/console.md). Then 'atomic faults' shows the report, 'atomic status' "
                + "the component back. Exit status 1 when refused or the instance is not running."})
final class InjectCommand extends ConsoleCommand {
    @Parameters(index = "0", paramLabel = "<component>", description = "The component, e.g. demo-app.")
    String component;

    @Parameters(index = "1", paramLabel = "<fault>", description = "crash, hang, leak or storm.")
    String fault;

    @Override
    boolean execute() throws IOException {
        try {
            Injection.parse(fault);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("atomic inject: " + e.getMessage());
            return false;
        }
        JsonNode answer = result(Console.INJECT, component + " " + fault);
        if (answer == null) {
            return false;
        }
        print(json ? PRETTY.writeValueAsString(answer) : (answer.path("done").asBoolean() ? "" : "refused: ")
                + answer.path("message").asText());
        return answer.path("done").asBoolean();
    }
}
