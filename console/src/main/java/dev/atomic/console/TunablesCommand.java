package dev.atomic.console;

import dev.atomic.engine.PolicyState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "tunables", mixinStandardHelpOptions = true,
        description = {"The tunables of an instance's Engine: each with its value, bounds, safe default, owner and "
                + "decay period, and who set it why (docs/policy.md). Read from <home>/logs/<instance>/"
                + PolicyState.FILE + "."})
final class TunablesCommand implements Callable<Integer> {
    @Option(names = "--instance", defaultValue = "atomic", description = "The instance (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--home", description = "Atomic's home, as for 'atomic boot'.")
    Path home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = ExplainCommand.logDir(home, instance);
        PolicyState state = PolicyState.read(dir);
        if (state == null) {
            out.println("nothing known of instance '" + instance + "': " + dir.resolve(PolicyState.FILE)
                    + " does not exist (its Engine never ran, or ran before the policy loop)");
            return 1;
        }
        if (state.tunables().isEmpty()) {
            out.println("instance '" + instance + "' has no tunables: its system has no components");
            return 0;
        }
        for (PolicyState.Tunable t : state.tunables()) {
            dev.atomic.policy.Tunable.Kind kind = dev.atomic.policy.Tunable.Kind.valueOf(t.kind());
            out.printf("%s = %s  [%s, %s], default %s, owned by %s, decays after %d s%n", t.name(), kind.say(t.value()),
                    kind.say(t.min()), kind.say(t.max()), kind.say(t.safeDefault()), t.owner(), t.decaySeconds());
            out.println(t.setBy() == null ? "    on its default" : "    set by " + t.setBy() + " at "
                    + ExplainCommand.TIME.format(Instant.ofEpochMilli(t.setAtMillis())) + ": " + t.reason());
        }
        return 0;
    }
}
