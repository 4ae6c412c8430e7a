package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Tripwires;
import dev.atomic.system.Fanotify;
import dev.atomic.system.SyscallException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The tripwires of the sandboxes ({@link Tripwires}): an empty decoy, file or directory, at each host path a component
 * has no business opening, and a fanotify group that holds every open of one until the Engine decides it. The
 * Sovereign keeps the group, so an open waits for the next Engine rather than go unanswered when one dies.
 * <p>
 * Decoy files are writable by all, so that an open for writing (a cgroup file) passes the usual checks and reaches
 * the group, which refuses it: nothing is ever written to one.
 */
final class Decoys implements AutoCloseable {
    private final Path dir;
    private final Optional<Fanotify> group;
    private final String why;
    private final List<Path> hostTargets;
    private final Function<ComponentSpec, List<Path>> ownTargets;
    private final Map<String, Map<Path, Path>> made = new LinkedHashMap<>();

    private Decoys(Path dir, Optional<Fanotify> group, String why, List<Path> hostTargets,
                   Function<ComponentSpec, List<Path>> ownTargets) {
        this.dir = dir;
        this.group = group;
        this.why = why;
        this.hostTargets = hostTargets;
        this.ownTargets = ownTargets;
    }

    /**
     * Sets the tripwires up in {@code dir} (a leftover of a Sovereign killed outright is cleared first).
     *
     * @param hostTargets what every sandbox decoys
     * @param ownTargets  what a component's own sandbox decoys besides (its cgroup's files)
     */
    static Decoys set(Path dir, boolean root, List<Path> hostTargets, Function<ComponentSpec, List<Path>> ownTargets)
            throws IOException {
        delete(dir);
        if (!root) {
            return new Decoys(dir, Optional.empty(), "not root (fanotify permission events need CAP_SYS_ADMIN)",
                    hostTargets, ownTargets);
        }
        Fanotify group;
        try {
            group = Fanotify.create();
        } catch (SyscallException e) {
            return new Decoys(dir, Optional.empty(), "no fanotify permission events here (" + e.getMessage() + ")",
                    hostTargets, ownTargets);
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
        return new Decoys(dir, Optional.of(group), "", hostTargets, ownTargets);
    }

    /** The group's descriptor in this process, for the Engine to copy; 0 when there is none. */
    int fd() {
        return group.map(Fanotify::fd).orElse(0);
    }

    String describe() {
        return group.isPresent() ? "an open of /etc/shadow, the signing key, the Vault, /dev/mem, /dev/kvm, the MSRs or "
                + "its cgroup's files meets a decoy the Engine refuses and reports"
                : "attempts at host paths fail unreported: " + why;
    }

    /**
     * The decoys of {@code component}'s view, where its sandbox binds them → what it binds there (a decoy, or the
     * directory of a group of them): made and watched at its first start. Empty where there are no tripwires.
     */
    synchronized Map<Path, Path> of(ComponentSpec component) throws IOException {
        if (group.isEmpty()) {
            return Map.of();
        }
        Map<Path, Path> decoys = made.get(component.id());
        if (decoys == null) {
            decoys = new LinkedHashMap<>();
            Path own = dir.resolve(component.id());
            Files.createDirectories(own);
            Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx--x--x"));
            for (Path target : Stream.concat(hostTargets.stream(), ownTargets.apply(component).stream()).toList()) {
                Path decoy = Tripwires.decoy(dir, component.id(), target);
                Path bound = Tripwires.bindPoint(target);
                if (Files.isDirectory(target)) {
                    Files.createDirectory(decoy);
                    Files.setPosixFilePermissions(decoy, PosixFilePermissions.fromString("r-xr-xr-x"));
                } else {
                    Files.createDirectories(decoy.getParent()); // a group's directories: rwxr-xr-x, root's
                    Files.createFile(decoy);
                    Files.setPosixFilePermissions(decoy, PosixFilePermissions.fromString("rw-rw-rw-"));
                }
                group.get().watch(decoy);
                // One bind for a group (the per-CPU decoys at /dev/cpu), one per decoy otherwise.
                decoys.put(bound, bound.equals(target) ? decoy : Tripwires.decoy(dir, component.id(), bound));
            }
            made.put(component.id(), decoys);
        }
        return decoys;
    }

    @Override
    public void close() throws IOException {
        group.ifPresent(Fanotify::close);
        delete(dir);
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
