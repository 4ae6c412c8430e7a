package dev.atomic.sovereign;

import dev.atomic.vault.ClassPathImage;
import dev.atomic.vault.ReleaseManifest;
import dev.atomic.vault.SafeFiles;
import dev.atomic.vault.Vault;
import dev.atomic.vault.VaultException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The logic of {@code atomic update stage | apply | rollback | status} for one instance. A release is staged beside
 * the running one (deployed and audited, nothing switched); apply asks the running Sovereign to switch to it, layer
 * by layer, health-gated ({@link LiveUpdate}); rollback goes back to the previous release the same way, or, with
 * Atomic stopped, points the next boot at it.
 */
public final class Updates {
    private final Path home;
    private final String instance;

    public Updates(Path home, String instance) {
        this.home = home;
        this.instance = instance;
    }

    private Path stagedFile() {
        return home.resolve("deploy").resolve(instance + ".staged");
    }

    /** Verifies, deploys and audits {@code release} beside the running one, and says what an apply would switch. */
    public List<String> stage(String release) throws IOException {
        VaultBoot.Booted staged = VaultBoot.staged(home, release);
        SafeFiles.writeAtomically(stagedFile(), (release + "\n").getBytes(StandardCharsets.UTF_8), 0644);
        List<String> lines = new ArrayList<>();
        lines.add("staged release '" + release + "' (signed by " + staged.release().signer() + ") in " + staged.root()
                + ": " + staged.manifest().entries().size() + " file(s), all intact");
        Optional<ReleasePointer> pointer = ReleasePointer.read(home, instance);
        if (pointer.isPresent()) {
            ReleaseManifest current = Vault.open(VaultBoot.vaultDir(home)).verify(pointer.get().current()).manifest();
            for (String prefix : prefixes(current, staged.manifest())) {
                ClassPathImage image = new ClassPathImage(prefix);
                int differ = image.differences(current, staged.manifest()).size();
                if (differ > 0) {
                    lines.add("  " + prefix + ": " + differ + " file(s) differ from '" + current.release() + "'");
                }
            }
        }
        lines.add("apply it to the running instance '" + instance + "' with: atomic update apply");
        return lines;
    }

    /**
     * Asks the running Sovereign to switch to the staged release; each line of its progress goes to {@code out}.
     * True when the update committed.
     */
    public boolean apply(Duration gate, Consumer<String> out) throws IOException {
        if (!Files.exists(stagedFile())) {
            throw new VaultException("nothing is staged for instance '" + instance + "': atomic update stage <release> "
                    + "first");
        }
        String release = Files.readString(stagedFile()).strip();
        boolean committed = switchLive(release, gate, out).orElseThrow(() -> new VaultException("instance '"
                + instance + "' is not running: an update is applied to a running system, health-gated step by step. "
                + "Boot it (atomic boot --instance " + instance + "), then apply again; or boot the release directly: "
                + "atomic boot --release " + release));
        if (committed) {
            Files.deleteIfExists(stagedFile());
        }
        return committed;
    }

    /**
     * Back to the previous release: live and health-gated when the instance runs, else by pointing the next boot at
     * it. True when done.
     */
    public boolean rollback(Duration gate, Consumer<String> out) throws IOException {
        ReleasePointer pointer = ReleasePointer.read(home, instance).orElseThrow(() -> new VaultException(
                "instance '" + instance + "' has never booted: there is nothing to roll back"));
        String previous = pointer.previous().orElseThrow(() -> new VaultException("instance '" + instance
                + "' runs its first release '" + pointer.current() + "': there is no previous one"));
        Optional<Boolean> live = switchLive(previous, gate, out);
        if (live.isPresent()) {
            return live.get();
        }
        pointer.next(previous, ReleasePointer.UPDATE).write(home, instance);
        out.accept("instance '" + instance + "' is not running: its next boot runs release '" + previous
                + "' (it was '" + pointer.current() + "')");
        return true;
    }

    public List<String> status() throws IOException {
        List<String> lines = new ArrayList<>();
        Optional<ReleasePointer> pointer = ReleasePointer.read(home, instance);
        if (pointer.isEmpty()) {
            lines.add("instance '" + instance + "' has never booted (" + ReleasePointer.file(home, instance) + ")");
        }
        pointer.ifPresent(p -> {
            lines.add("current   " + p.current() + "  (" + (p.origin().equals(ReleasePointer.UPDATE)
                    ? "installed by atomic update" : "made from the installation") + ")");
            lines.add("previous  " + p.previous().orElse("none"));
        });
        lines.add("staged    " + (Files.exists(stagedFile()) ? Files.readString(stagedFile()).strip() : "none"));
        new UpdateJournal(home, instance).read().ifPresent(u -> lines.add("unfinished update from '" + u.from()
                + "' to '" + u.to() + "' at step '" + u.step() + "': the next boot runs the pointer's release"));
        lines.add("running   " + (ControlSocket.ask(ControlSocket.path(home, instance), "ping", l -> { }) ? "yes" : "no"));
        return lines;
    }

    /** Whether the running instance committed the switch; empty when no instance runs. */
    private Optional<Boolean> switchLive(String release, Duration gate, Consumer<String> out) throws IOException {
        boolean[] committed = {false};
        boolean asked = ControlSocket.ask(ControlSocket.path(home, instance), "update " + release + " "
                + gate.toMillis(), line -> {
            committed[0] |= line.equals("result: committed");
            out.accept(line);
        });
        return asked ? Optional.of(committed[0]) : Optional.empty();
    }

    private static Set<String> prefixes(ReleaseManifest a, ReleaseManifest b) {
        Set<String> prefixes = new java.util.TreeSet<>();
        for (ReleaseManifest m : List.of(a, b)) {
            for (ReleaseManifest.Entry e : m.entries()) {
                String[] parts = e.path().split("/");
                prefixes.add(parts[0].equals("services") || parts[0].equals("dak") ? parts[0] + "/" + parts[1] : parts[0]);
            }
        }
        return prefixes;
    }
}
