package dev.atomic.console;

import dev.atomic.sovereign.BootOptions;
import dev.atomic.vault.Layer;
import dev.atomic.vault.VaultCommands;
import dev.atomic.vault.VaultException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

@Command(name = "vault", mixinStandardHelpOptions = true,
        description = {
                "The Maintenance Vault: a read-only, content-addressed (SHA-256) store of every image Atomic runs, "
                        + "and release manifests signed with Ed25519 that list each image with its hash, layer "
                        + "(sovereign, engine, services, dak) and update channel.",
                "",
                "A typical release: keygen once; add each file to a release; sign it; verify it."},
        subcommands = {VaultCommand.Keygen.class, VaultCommand.Trust.class, VaultCommand.Add.class,
                VaultCommand.Sign.class, VaultCommand.Verify.class, VaultCommand.ListCommand.class,
                VaultCommand.Gc.class})
final class VaultCommand {
    @Option(names = "--vault", description = "The Vault directory (default: <home>/vault, home as for 'atomic boot').")
    Path vault;

    VaultCommands commands() {
        return new VaultCommands(vault != null ? vault : BootOptions.defaultHome().resolve("vault"));
    }

    /** Runs one Vault command: its lines on stdout, or its refusal on stderr and a non-zero status. */
    abstract static class Step extends RefusableCommand {
        @ParentCommand
        VaultCommand parent;

        abstract List<String> run(VaultCommands vault) throws IOException;

        @Override
        boolean execute() throws IOException {
            run(parent.commands()).forEach(this::print);
            return true;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make an Ed25519 signing key pair (NAME.key readable only by you, NAME.pub) and trust its "
                    + "public key in this Vault.")
    static final class Keygen extends Step {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--dir", defaultValue = ".", description = "Where to write the key files (default: here).")
        Path dir;

        @Override
        List<String> run(VaultCommands vault) throws IOException {
            return vault.keygen(dir, name);
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = "Trust a public key (X.509 PEM or DER): releases it signed become verifiable.")
    static final class Trust extends Step {
        @Parameters(index = "0", paramLabel = "PUBLIC-KEY")
        Path key;

        @Override
        List<String> run(VaultCommands vault) throws IOException {
            return vault.trust(key);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Store a file in the Vault under its SHA-256.",
                    "With --release, also list it in that release's draft manifest, to be signed with 'vault sign'."})
    static final class Add extends Step {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--release", description = "The release whose draft manifest lists the file.")
        String release;

        @Option(names = "--layer", description = "sovereign, engine, services or dak (with --release).")
        String layer;

        @Option(names = "--component", description = "The component the file belongs to (with --release).")
        String component;

        @Option(names = "--path", description = "Where the file is deployed, relative to the deployment root "
                + "(with --release; default: its file name).")
        String path;

        @Override
        List<String> run(VaultCommands vault) throws IOException {
            if (release == null) {
                return vault.add(file);
            }
            if (layer == null || component == null) {
                throw new VaultException("--release needs --layer and --component");
            }
            return vault.add(release, Layer.fromLabel(layer), component,
                    path != null ? path : file.getFileName().toString(), file);
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a release's draft manifest with an Ed25519 key (NAME.pub must lie beside NAME.key) "
                    + "and publish it; published releases are never replaced.")
    static final class Sign extends Step {
        @Parameters(index = "0", paramLabel = "RELEASE")
        String release;

        @Option(names = "--key", required = true, description = "The private key file (from 'vault keygen').")
        Path key;

        @Override
        List<String> run(VaultCommands vault) throws IOException {
            return vault.sign(release, key);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check a release's signature against the trusted keys and every object it lists against "
                    + "its hash; without RELEASE, every release and object.")
    static final class Verify extends Step {
        @Parameters(index = "0", arity = "0..1", paramLabel = "RELEASE")
        String release;

        @Override
        List<String> run(VaultCommands vault) throws IOException {
            return release == null ? vault.verify() : vault.verify(release);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List releases, drafts and objects; with RELEASE, the entries of that release.")
    static final class ListCommand extends Step {
        @Parameters(index = "0", arity = "0..1", paramLabel = "RELEASE")
        String release;

        @Override
        List<String> run(VaultCommands vault) throws IOException {
            return release == null ? vault.list() : vault.list(release);
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Remove objects that no signed release references.")
    static final class Gc extends Step {
        @Override
        List<String> run(VaultCommands vault) throws IOException {
            return vault.gc();
        }
    }
}
