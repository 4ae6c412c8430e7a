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
        int status = new CommandLine(new AtomicCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(status);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AtomicCli.class.getPackage().getImplementationVersion();
            return new String[]{"Atomic " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version()};
        }
    }
}
