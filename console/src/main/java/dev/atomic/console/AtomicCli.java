package dev.atomic.console;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code atomic} command. The launcher script {@code ./atomic} finds a JDK 25, builds, and runs this. */
@Command(name = "atomic", mixinStandardHelpOptions = true, versionProvider = AtomicCli.Version.class,
        description = {
                "Atomic splits this machine into three isolated kernels — Sovereign, Services, Drivers & Apps — "
                        + "joined only through the Master Engine over audited shared-memory bridges.",
                "",
                "Start with 'atomic audit' to see what this host can enforce, then 'atomic boot'."},
        subcommands = {BootCommand.class, AuditCommand.class, MeasurementsCommand.class, VaultCommand.class,
                UpdateCommand.class, StatusCommand.class, FaultsCommand.class, TopCommand.class, InjectCommand.class,
                ExplainCommand.class, TunablesCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The launcher also understands: ./atomic test  (runs the whole test suite)"})
public final class AtomicCli {
    public static void main(String[] args) {
        CommandLine cli;
        if (args.length > 0 && args[0].equals("boot")) {
            // Only the boot's own command: picocli reads every command's annotations when it builds the tree, which
            // cost the boot's C1-only JVM 0.25-0.3 s of CPU before the Sovereign's first stage.
            cli = new CommandLine(new BootCommand()).setCommandName("atomic boot");
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        } else {
            cli = new CommandLine(new AtomicCli());
        }
        System.exit(cli.setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AtomicCli.class.getPackage().getImplementationVersion();
            return new String[]{"Atomic " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version()};
        }
    }
}
