package dev.atomic.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atomic.sovereign.BootOptions;
import dev.atomic.sovereign.MeasurementLog;
import dev.atomic.sovereign.Sovereign;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "measurements", mixinStandardHelpOptions = true,
        description = {"Print the measurement log of an instance's last boot, TCG event-log style: each stage "
                + "(the Sovereign's image, the system spec, the Engine's image, each component's image) with its "
                + "SHA-256, chained into one final digest: pcr = SHA-256(pcr || digest). Where the boot found a TPM "
                + "(/dev/tpmrm0), the same digests went into its PCR 23: its value before, the value the log "
                + "predicts and the value read back."})
final class MeasurementsCommand implements Callable<Integer> {
    @Option(names = "--instance", defaultValue = "atomic", description = "The instance (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--home", description = "Atomic's home, as for 'atomic boot'.")
    Path home;

    @Option(names = "--json", description = "Print the log as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BootOptions options = new BootOptions("default", instance, home != null ? home : BootOptions.defaultHome(),
                Optional.empty());
        Path file = Sovereign.measurementsFile(options);
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(file)) {
            spec.commandLine().getErr().println("atomic measurements: no measurement log for instance '" + instance
                    + "' (" + file + "): boot it first with 'atomic boot --instance " + instance + "'");
            return 1;
        }
        MeasurementLog.Snapshot log = MeasurementLog.read(file);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(log));
            return 0;
        }
        out.println("Measurement log of instance '" + log.instance() + "' (" + file + ")");
        for (MeasurementLog.Event e : log.events()) {
            out.printf("  %2d  %-22s %s%n      sha256 %s%n", e.index(), e.stage(), e.description(), e.digest());
        }
        out.println("final digest " + log.finalDigest());
        out.println("TPM: " + log.tpm());
        MeasurementLog.Pcr pcr = log.pcr();
        if (pcr != null) {
            out.printf("  PCR %d (SHA-256 bank) of %s, not reset before this boot%n", pcr.index(), pcr.device());
            out.println("    before     " + pcr.before());
            out.println("    expected   " + pcr.expected() + "  (before, extended with the " + log.events().size()
                    + " digests above in order)");
            out.println("    read back  " + pcr.after() + (pcr.matched() ? "  matches" : "  DOES NOT MATCH: the PCR"
                    + " was also extended by something else, so it does not vouch for this log"));
        }
        return 0;
    }
}
