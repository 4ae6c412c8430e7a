package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.SystemSpec;
import dev.atomic.vault.ClassPathImage;
import dev.atomic.vault.Layer;
import dev.atomic.vault.ReleaseManifest;
import dev.atomic.vault.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a system from a directory of manifests brings into a release beyond the installation's class path. Its
 * manifests go into every image, the Engine's and each component's ({@code <image>/@system/<name>/<id>.toml}), so
 * that each process reads the deployed, audited copy inside its own view, never the directory; each component's jar
 * becomes a class-path entry of its image beside the component host's, and an executable goes to
 * {@code <image>/@exec/<file>}.
 */
final class SystemFiles {
    static final String SYSTEM = ClassPathImage.NOT_CODE + "system";
    static final String EXEC = ClassPathImage.NOT_CODE + "exec";

    private SystemFiles() {
    }

    /** The directory's manifests as files of {@code image}. */
    static List<ClassPathImage.Placed> manifests(Path directory, String system, ClassPathImage image, Layer layer,
                                                 String component, Map<Path, String> hashes) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.filter(p -> p.getFileName().toString().endsWith(".toml") && Files.isRegularFile(p))
                    .sorted().toList();
        }
        List<ClassPathImage.Placed> placed = new ArrayList<>();
        for (Path f : files) {
            placed.add(place(image.prefix() + "/" + SYSTEM + "/" + system + "/" + f.getFileName(), f, 0644, layer,
                    component, hashes));
        }
        return placed;
    }

    /** An executable image's program as a file of {@code image}. */
    static ClassPathImage.Placed executable(ComponentSpec c, ClassPathImage image, Layer layer, Map<Path, String> hashes)
            throws IOException {
        Path exec = Path.of(c.image().entry());
        if (!Files.isRegularFile(exec) || !Files.isExecutable(exec)) {
            throw new IOException(c.id() + "'s image names " + exec + ", which is not an executable file");
        }
        return place(image.prefix() + "/" + EXEC + "/" + exec.getFileName(), exec, 0755, layer, c.id(), hashes);
    }

    /** A Java image's own jar, which must exist: a class path would skip a missing one silently. */
    static Path jar(ComponentSpec c) throws IOException {
        Path jar = Path.of(c.image().jar());
        if (!Files.isRegularFile(jar)) {
            throw new IOException(c.id() + "'s image names the jar " + jar + ", which is not a file");
        }
        return jar;
    }

    /** Where the program of an executable image lies in a deployed release. */
    static Path executable(Path root, ClassPathImage image, ComponentSpec c) {
        return root.resolve(image.prefix()).resolve(EXEC).resolve(Path.of(c.image().entry()).getFileName());
    }

    /**
     * The program of an executable image, hashed again before each start: one changed since the boot audit is not
     * started, and the reason says so. It is one small file, unlike a JVM's class path, so every start can afford it.
     */
    static Path verifiedExecutable(Path root, ReleaseManifest manifest, ClassPathImage image, ComponentSpec c)
            throws IOException {
        Path program = executable(root, image, c);
        String path = root.relativize(program).toString();
        ReleaseManifest.Entry entry = manifest.entries().stream().filter(e -> e.path().equals(path)).findFirst()
                .orElseThrow(() -> new IOException("release '" + manifest.release() + "' holds no program " + path));
        String hash = Files.isRegularFile(program) ? Sha256.of(program) : null;
        if (!entry.sha256().equals(hash)) {
            throw new IOException("its program " + path + (hash == null ? " is missing" : " hashes to "
                    + Sha256.brief(hash) + ", release '" + manifest.release() + "' says " + Sha256.brief(entry.sha256()))
                    + ": it changed since the boot audit and is not started; the next boot repairs it from the Vault");
        }
        return program;
    }

    static boolean executable(ComponentSpec c) {
        return c.image().kind() == Image.Kind.EXEC;
    }

    /**
     * How a process of {@code image} names its system on its command line ({@link SystemSpec#load}): the path of
     * its image's copy of the manifests when the release holds one, else the built-in system's name.
     */
    static String reference(Path root, ReleaseManifest manifest, ClassPathImage image, SystemSpec system) {
        String dir = image.prefix() + "/" + SYSTEM + "/" + system.name();
        boolean held = image.entries(manifest).stream().anyMatch(e -> e.path().startsWith(dir + "/"));
        return held ? root.resolve(dir).toString() : system.name();
    }

    /**
     * Why release {@code b} cannot replace {@code a} while Atomic runs, if it cannot: its system's manifests differ
     * (the Engine image's copy is the system every process reads). The running Engine and the components already
     * started hold the old system, service ids and grants included; a component restarted from {@code b} would read
     * the new one.
     */
    static java.util.Optional<String> liveUpdateProblem(ReleaseManifest a, ReleaseManifest b) {
        java.util.SortedSet<String> differ = new ClassPathImage(Layer.ENGINE.label() + "/" + SYSTEM).differences(a, b);
        if (differ.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("it changes the system's manifests (" + String.join(", ", differ.stream()
                .map(p -> p.substring(p.lastIndexOf('/') + 1)).distinct().toList()) + "), which the running Engine and "
                + "components cannot take while they run: stop Atomic and boot it (atomic boot --release "
                + b.release() + ")");
    }

    private static ClassPathImage.Placed place(String path, Path source, int mode, Layer layer, String component,
                                               Map<Path, String> hashes) throws IOException {
        String hash = hashes.get(source);
        if (hash == null) {
            hash = Sha256.of(source);
            hashes.put(source, hash);
        }
        return new ClassPathImage.Placed(new ReleaseManifest.Entry(path, hash, Files.size(source), layer, component,
                mode), source);
    }
}
