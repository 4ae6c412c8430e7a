package dev.atomic.console;

import dev.atomic.sovereign.BootOptions;
import dev.atomic.sovereign.Updates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

@Command(name = "update", mixinStandardHelpOptions = true,
        description = {
                "A/B updates with transactional rollback. Stage a signed release of the Vault beside the running one, "
                        + "then apply it to the running instance: the Engine, then the Services kernel, then Drivers "
                        + "& Apps are switched one layer at a time, each switched process health-gated (it must be "
                        + "up and ready within --gate), and every step is undone if a gate fails. Only then does the "
                        + "instance's release pointer move, in one rename: a power cut at any step leaves a system "
                        + "that boots the old release or the new one, whole. The sovereign layer (its own, quarterly "
                        + "channel) changes at the next boot.",
                "",
                "  atomic update stage <release>    verify, deploy and audit it; show what would switch",
                "  atomic update apply              switch the running instance to the staged release",
                "  atomic update rollback           back to the previous release (live, or at the next boot)",
                "  atomic update status             current, previous and staged releases"},
        subcommands = {UpdateCommand.Stage.class, UpdateCommand.Apply.class, UpdateCommand.Rollback.class,
                UpdateCommand.Status.class})
final class UpdateCommand {
    @Option(names = "--instance", defaultValue = "atomic", description = "Instance (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--home", description = "Atomic's home, as for 'atomic boot'.")
    Path home;

    Updates updates() {
        return new Updates(home != null ? home : BootOptions.defaultHome(), instance);
    }

    abstract static class Step extends RefusableCommand {
        @ParentCommand
        UpdateCommand parent;

        abstract boolean run(Updates updates) throws IOException;

        @Override
        boolean execute() throws IOException {
            return run(parent.updates());
        }
    }

    /** A step that switches a running instance, each layer health-gated. */
    abstract static class Gated extends Step {
        @Option(names = "--gate", defaultValue = "30s", converter = DurationConverter.class,
                description = "How long each switched layer has to come up and be ready (default: ${DEFAULT-VALUE}).")
        Duration gate;
    }

    @Command(name = "stage", mixinStandardHelpOptions = true,
            description = "Verify a signed release (signature, every object), deploy and audit it beside the running "
                    + "one, and list what differs. Nothing running changes.")
    static final class Stage extends Step {
        @Parameters(paramLabel = "<release>", description = "A published release of the Vault (atomic vault list).")
        String release;

        @Override
        boolean run(Updates updates) throws IOException {
            updates.stage(release).forEach(this::print);
            return true;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Switch the running instance to the staged release, layer by layer, health-gated; rolls "
                    + "back by itself if a gate fails. Exit status 0 only if it committed.")
    static final class Apply extends Gated {
        @Override
        boolean run(Updates updates) throws IOException {
            return updates.apply(gate, this::print);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Return to the previous release: on a running instance live and health-gated, as apply; "
                    + "on a stopped one, its next boot runs the previous release.")
    static final class Rollback extends Gated {
        @Override
        boolean run(Updates updates) throws IOException {
            return updates.rollback(gate, this::print);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The instance's current, previous and staged releases, and any update a power cut left "
                    + "unfinished.")
    static final class Status extends Step {
        @Override
        boolean run(Updates updates) throws IOException {
            updates.status().forEach(this::print);
            return true;
        }
    }
}
