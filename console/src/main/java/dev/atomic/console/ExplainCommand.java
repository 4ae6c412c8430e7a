package dev.atomic.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.engine.PolicyState;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;
import dev.atomic.sovereign.BootOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"What the Engine believes about a component and why it acted: its last observation (once a "
                + "second, by the Engine's policy loop) in words, each policy's last recommendation with its reason, "
                + "and what the Engine last did to it (its restarts with the fault behind each, spares, checkpoints, "
                + "sizes, demotions and promotions, fast paths, throttling and coalescing), newest first, with when, "
                + "who decided and why. Read from <home>/logs/<instance>/" + PolicyState.FILE + ". The fixed "
                + "thresholds always run, advisory; the learned policies once their models are trained "
                + "(docs/policy.md): policy 1's early warnings, policy 2's predicted failures, policy 5's promotions "
                + "and demotions; policy 3's sizes are listed by 'atomic tunables'."})
final class ExplainCommand implements Callable<Integer> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final double MIB = 1 << 20;

    @Parameters(paramLabel = "COMPONENT", description = "The component's id.")
    String component;

    @Option(names = "--instance", defaultValue = "atomic", description = "The instance (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--home", description = "Atomic's home, as for 'atomic boot'.")
    Path home;

    @Option(names = "--json", description = "Print it as JSON: the observation, the recommendations by policy, and "
            + "the actions, newest first.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Where the Engines of an instance write what their policy loop believes. */
    static Path logDir(Path home, String instance) {
        return (home != null ? home : BootOptions.defaultHome()).resolve("logs").resolve(instance);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = logDir(home, instance);
        PolicyState state = PolicyState.read(dir);
        if (state == null) {
            out.println("nothing known of instance '" + instance + "': " + dir.resolve(PolicyState.FILE)
                    + " does not exist (its Engine never ran, or ran before the policy loop)");
            return 1;
        }
        Observation o = state.observations().get(component);
        if (o == null) {
            out.println("the Engine of instance '" + instance + "' has not observed '" + component + "' (observed: "
                    + String.join(", ", state.observations().keySet()) + ")");
            return 1;
        }
        Map<String, Recommendation> beliefs = state.beliefs().getOrDefault(component, Map.of());
        List<PolicyState.Action> actions = state.actions().getOrDefault(component, List.of());
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("component", component);
            all.put("observation", o);
            all.put("beliefs", beliefs);
            all.put("actions", actions);
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
            return 0;
        }
        out.println(component + " (" + o.kernel() + "), as the Engine last saw it at " + TIME.format(
                Instant.ofEpochMilli(o.timeMillis())) + ":");
        out.println("  " + said(o));
        if (beliefs.isEmpty()) {
            out.println("  No policy recommends anything for it: it is within every fixed threshold.");
        }
        beliefs.forEach((policy, r) -> out.printf("  %s recommends %s (confidence %.2f): %s%n", policy,
                r.action(), r.confidence(), r.reason()));
        if (actions.isEmpty()) {
            out.println("  The Engine has done nothing to it since it started.");
        } else {
            out.println("  What the Engine did to it, newest first (the last " + actions.size() + "):");
            actions.forEach(a -> out.println("    " + done(a)));
        }
        return 0;
    }

    /** One action in words: when, what, why, and who decided. */
    static String done(PolicyState.Action a) {
        return TIME.format(Instant.ofEpochMilli(a.timeMillis())) + "  " + a.what() + (a.times() > 1
                ? " (" + a.times() + " times since " + TIME.format(Instant.ofEpochMilli(a.sinceMillis())) + ")" : "")
                + "; why: " + a.why() + "; decided by " + switch (a.by()) {
                    case "engine" -> "the Engine's own rules";
                    case "decay" -> "decay (no policy refreshed it)";
                    default -> "policy '" + a.by() + "'";
                };
    }

    /** One observation in words. */
    static String said(Observation o) {
        StringBuilder s = new StringBuilder(String.format("%.2f CPUs; resident memory %.0f MiB", o.cpu(),
                o.rssBytes() / MIB));
        if (o.memoryLimit() > 0) {
            s.append(String.format(" of its %.0f MiB limit", o.memoryLimit() / MIB));
        }
        s.append(String.format(", %s %.2f MiB/s over the last 30 s; ", o.rssSlope() >= 0 ? "growing" : "shrinking",
                Math.abs(o.rssSlope()) / MIB));
        s.append(String.format("%.0f messages/s", o.rate()));
        if (o.rateBudget() > 0) {
            s.append(" against a budget of ").append(o.rateBudget());
        }
        s.append("; ").append(o.pending()).append(" request(s) waiting; progress count ").append(o.progress())
                .append("; ").append(o.restarts()).append(" recent restart(s); ")
                .append(o.psiMemory() < 0 ? "no memory pressure figure (no PSI on this host)"
                        : String.format("host memory pressure %.1f%%", o.psiMemory()));
        return s.toString();
    }
}
