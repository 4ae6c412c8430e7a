package dev.atomic.console;

import dev.atomic.component.ManifestException;
import dev.atomic.component.SystemSpec;
import dev.atomic.sovereign.BootOptions;
import dev.atomic.sovereign.ControlSocket;
import dev.atomic.sovereign.EngineFailover;
import dev.atomic.sovereign.Sovereign;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {
                "Boot an Atomic system in the foreground; Ctrl-C shuts it down and leaves nothing behind.",
                "",
                "This process becomes the Sovereign: it audits the host, deploys and audits the signed release from the "
                        + "Maintenance Vault (repairing any altered or missing file), measures what will run, carves "
                        + "cgroups, creates the shared-memory bridges and starts the Master Engine, which starts the "
                        + "Services kernel, then the Drivers & Apps kernel, each process from its own deployed image. "
                        + "A boot report times each stage.",
                "",
                "Kill a component (kill -9 <pid>, or 'atomic inject <component> crash') to watch the Engine notice "
                        + "it at once, report the fault and bring it back.",
                "",
                "On a terminal, once the system is ready, the console's live view (atomic top) stays at the bottom "
                        + "while the log scrolls above it; elsewhere, and with --run-for, the log is line by line."})
final class BootCommand implements Callable<Integer> {
    @Option(names = "--system", defaultValue = "default", paramLabel = "<name|directory>",
            description = "The system to boot: a built-in one by name, or a directory of manifests (docs/manifest.md), "
                    + "written with a '/' (./mysystem), released through the Vault like the installation "
                    + "(default: ${DEFAULT-VALUE}).")
    String system;

    @Option(names = "--instance", defaultValue = "atomic",
            description = "Instance name: the cgroup tree and lock are named after it (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--home", description = "Where logs and state go (default: $ATOMIC_HOME, else /var/lib/atomic as root, else ~/.local/share/atomic).")
    Path home;

    @Option(names = "--run-for", converter = DurationConverter.class,
            description = "Stop by itself after this long, e.g. 30s or 2m (default: until Ctrl-C or SIGTERM).")
    Duration runFor;

    @Option(names = "--no-carving",
            description = "Create the cgroup tree but apply no CPU reservation and no limits: only to measure what "
                    + "carving buys.")
    boolean noCarving;

    @Option(names = "--release", paramLabel = "<release>",
            description = "Boot exactly this signed release of the Vault, whatever the installation holds. Without "
                    + "it, the instance's current release boots; on first boot it is made from the installation and "
                    + "signed with the local key (<home>/keys/local.key).")
    String release;

    @Option(names = "--no-sandbox",
            description = "Run components without their bubblewrap sandboxes (own namespaces, a view of their image "
                    + "and state only): only for comparisons.")
    boolean noSandbox;

    @Option(names = "--engine-restarts", paramLabel = "N",
            defaultValue = "" + EngineFailover.DEFAULT_RESTARTS,
            description = "Engine deaths tolerated within a minute before Atomic gives up and stops "
                    + "(default: ${DEFAULT-VALUE}).")
    int engineRestarts;

    @Option(names = "--no-standby",
            description = "Keep no warm standby Engine: a dead Engine is replaced by a cold start (less memory, "
                    + "slower failover).")
    boolean noStandby;

    @Override
    public Integer call() throws Exception {
        if (SystemSpec.isDirectory(system)) {
            Path directory = Path.of(system).toAbsolutePath().normalize();
            if (!Files.isDirectory(directory)) {
                System.err.println("--system " + system + ": no such directory of manifests");
                return 2;
            }
            try {
                SystemSpec.fromDirectory(directory);
            } catch (ManifestException e) {
                System.err.println("--system " + system + ": the system cannot be used:");
                e.errors().forEach(line -> System.err.println("  " + line));
                return 2;
            }
            system = directory.toString();
        }
        BootOptions options = new BootOptions(system, instance, home != null ? home : BootOptions.defaultHome(),
                Optional.ofNullable(runFor), !noCarving, Optional.ofNullable(release), !noSandbox,
                new EngineFailover(engineRestarts, !noStandby));
        if (!LiveView.wanted(runFor != null)) {
            return Sovereign.boot(options, System.out);
        }
        LiveView view = new LiveView(System.out, ControlSocket.path(options.home(), instance), instance);
        // Ctrl-C: the terminal as it was, whatever else is stopping
        Runtime.getRuntime().addShutdownHook(new Thread(view::close, "live-view-reset"));
        try (view) {
            return Sovereign.boot(options, view.watching());
        }
    }
}
