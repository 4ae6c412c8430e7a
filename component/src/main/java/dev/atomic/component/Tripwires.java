package dev.atomic.component;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The host paths a sandboxed component has no business opening, shown in its view as decoys whose every open the
 * Engine decides and reports (docs/security-model.md, <i>Tripwires</i>). A decoy lives at
 * {@code <home>/tripwires/<instance>/<component>/<target, URL-encoded>}: one set per component, so the file opened
 * alone says whose view it is in and what it stands for. The opener's own path to it is the target's, in a mount
 * namespace the Engine cannot see, so the Engine knows a decoy by its inode.
 */
public final class Tripwires {

    /** Always decoyed: the host's password hashes, and the devices that reach raw memory, I/O ports and KVM. */
    private static final List<String> HOST = List.of("/etc/shadow", "/etc/gshadow", "/dev/mem", "/dev/kmem",
            "/dev/port", "/dev/kvm");

    /** A decoy opened: by which component's view, standing for which host path. */
    public record Tripped(String component, Path target) {
    }

    private Tripwires() {
    }

    /** The host paths every sandbox decoys: {@link #HOST}, and each CPU's model-specific registers. */
    public static List<Path> hostTargets() {
        List<Path> targets = new ArrayList<>(HOST.stream().map(Path::of).toList());
        IntStream.range(0, Math.max(Runtime.getRuntime().availableProcessors(), cpusUnder(Path.of("/dev/cpu"))))
                .mapToObj(cpu -> Path.of("/dev/cpu", Integer.toString(cpu), "msr")).forEach(targets::add);
        return targets;
    }

    /** The decoy standing for {@code target} in {@code component}'s view. */
    public static Path decoy(Path dir, String component, Path target) {
        return dir.resolve(component).resolve(URLEncoder.encode(target.toString(), StandardCharsets.UTF_8));
    }

    /** Every decoy under {@code dir}, by its file key (device and inode), with what it stands for. */
    public static Map<Object, Tripped> index(Path dir) throws IOException {
        Map<Object, Tripped> decoys = new HashMap<>();
        if (!Files.isDirectory(dir)) {
            return decoys;
        }
        try (Stream<Path> components = Files.list(dir)) {
            for (Path component : components.toList()) {
                try (Stream<Path> files = Files.list(component)) {
                    for (Path decoy : files.toList()) {
                        String target = URLDecoder.decode(decoy.getFileName().toString(), StandardCharsets.UTF_8);
                        decoys.put(Files.readAttributes(decoy, BasicFileAttributes.class).fileKey(),
                                new Tripped(component.getFileName().toString(), Path.of(target)));
                    }
                }
            }
        }
        return decoys;
    }

    private static int cpusUnder(Path dir) {
        try (var cpus = Files.list(dir)) {
            return (int) cpus.filter(p -> p.getFileName().toString().matches("\\d+")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
