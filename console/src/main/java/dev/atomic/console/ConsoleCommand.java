package dev.atomic.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atomic.sovereign.BootOptions;
import dev.atomic.sovereign.ControlSocket;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command answered by the running system's console service (docs/console.md): asked over the Sovereign's control
 * socket, which passes it through the Engine (audited) to the component providing {@code console}. The CLI is no
 * component: the Sovereign is the console's client on its behalf.
 */
abstract class ConsoleCommand extends RefusableCommand {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--instance", defaultValue = "atomic", description = "The instance (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--home", description = "Atomic's home, as for 'atomic boot'.")
    Path home;

    @Option(names = "--json", description = "Print the console's answer as JSON.")
    boolean json;

    /** What the Sovereign answered: whether anything listens, and the console's result or error. */
    record Answer(boolean running, boolean ok, String text) {
        JsonNode tree() throws IOException {
            return JSON.readTree(text);
        }
    }

    Path socket() {
        return ControlSocket.path(home != null ? home : BootOptions.defaultHome(), instance);
    }

    /** Asks one of the console's methods (console.kabi). */
    Answer ask(int method, String request) throws IOException {
        return ask(socket(), "console " + method + (request.isEmpty() ? "" : " " + request));
    }

    static Answer ask(Path socket, String request) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!ControlSocket.ask(socket, request, lines::add)) {
            return new Answer(false, false, "");
        }
        if (lines.isEmpty() || !lines.getFirst().equals("ok") && !lines.getFirst().equals("error")) {
            return new Answer(true, false, "the Sovereign does not pass requests to a console service: "
                    + String.join(" ", lines));
        }
        return new Answer(true, lines.getFirst().equals("ok"), String.join("\n", lines.subList(1, lines.size())));
    }

    /** The console's JSON result, or null after saying why there is none (exit status 1). */
    JsonNode result(int method, String request) throws IOException {
        Answer answer = ask(method, request);
        if (!answer.running()) {
            notRunning();
            return null;
        }
        if (!answer.ok()) {
            spec.commandLine().getErr().println("atomic " + spec.name() + ": " + answer.text());
            return null;
        }
        return answer.tree();
    }

    void notRunning() {
        spec.commandLine().getErr().println("atomic " + spec.name() + ": instance '" + instance
                + "' is not running (nothing answers at " + socket() + ")");
    }

    static String mib(JsonNode bytes) {
        return bytes == null || bytes.isNull() ? "-" : String.format("%.0f MiB", bytes.asLong() / 1048576.0);
    }

    static String orDash(JsonNode n) {
        return n == null || n.isNull() ? "-" : n.asText();
    }
}
