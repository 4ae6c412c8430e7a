package dev.atomic.console;

import dev.atomic.sovereign.BootOptions;
import dev.atomic.sovereign.ControlSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"What a running instance is: the release each layer runs, the active and standby Engines, "
                + "each component's pid and readiness. Asked of the Sovereign over its control socket "
                + "(<home>/run/<instance>.sock); exit status 1 when the instance is not running."})
final class StatusCommand extends RefusableCommand {
    @Option(names = "--instance", defaultValue = "atomic", description = "Instance (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--home", description = "Atomic's home, as for 'atomic boot'.")
    Path home;

    @Override
    boolean execute() throws IOException {
        Path socket = ControlSocket.path(home != null ? home : BootOptions.defaultHome(), instance);
        if (!ControlSocket.ask(socket, "status", this::print)) {
            print("instance '" + instance + "' is not running (nothing answers at " + socket + ")");
            return false;
        }
        return true;
    }
}
