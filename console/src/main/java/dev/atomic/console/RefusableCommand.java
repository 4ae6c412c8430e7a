package dev.atomic.console;

import dev.atomic.vault.VaultException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A subcommand whose work may be refused ({@link VaultException}: its message is the text to show) or fail on I/O:
 * the reason goes to stderr after the command's name, and the exit status is 1.
 */
abstract class RefusableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** True for exit status 0. */
    abstract boolean execute() throws IOException;

    void print(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }

    @Override
    public Integer call() {
        try {
            return execute() ? 0 : 1;
        } catch (VaultException | IOException e) {
            spec.commandLine().getErr().println("atomic " + spec.parent().name() + ": " + e.getMessage());
            return 1;
        }
    }
}
