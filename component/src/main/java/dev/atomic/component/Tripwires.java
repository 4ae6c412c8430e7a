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
 * {@code <home>/tripwires/<instance>/<component>/<target, URL-encoded>} (a group's under its directory: the MSRs at
 * {@code …/%2Fdev%2Fcpu/<n>/msr}): one set per component, so the file opened
 * alone says whose view it is in and what it stands for. The opener's own path to it is the target's, in a mount
 * namespace the Engine cannot see, so the Engine knows a decoy by its inode.
 */
public final class Tripwires {

    /** Always decoyed: the host's password hashes, and the devices that reach raw memory, I/O ports and KVM. */
    private static final List<String> HOST = List.of("/etc/shadow", "/etc/gshadow", "/dev/mem", "/dev/kmem",
            "/dev/port", "/dev/kvm");

    /**
     * Where the per-CPU decoys are grouped: one directory, bound at {@code /dev/cpu}, holds {@code <n>/msr} for every
     * CPU, so a sandbox has one bind mount for them, not one per CPU.
     */
    private static final Path CPU_DEVICES = Path.of("/dev/cpu");

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

    /** The decoy standing for {@code target} in {@code component}'s view: in its group's directory, if it has one. */
    public static Path decoy(Path dir, String component, Path target) {
        Path bound = bindPoint(target);
        Path decoy = dir.resolve(component).resolve(URLEncoder.encode(bound.toString(), StandardCharsets.UTF_8));
        return bound.equals(target) ? decoy : decoy.resolve(bound.relativize(target).toString());
    }

    /** Where the sandbox binds what stands for {@code target}: its group's directory, or the target itself. */
    public static Path bindPoint(Path target) {
        return target.startsWith(CPU_DEVICES) && !target.equals(CPU_DEVICES) ? CPU_DEVICES : target;
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
                        Path target = Path.of(URLDecoder.decode(decoy.getFileName().toString(),
                                StandardCharsets.UTF_8));
                        String id = component.getFileName().toString();
                        decoys.put(Files.readAttributes(decoy, BasicFileAttributes.class).fileKey(),
                                new Tripped(id, target));
                        if (target.equals(CPU_DEVICES) && Files.isDirectory(decoy)) { // a group: the decoys inside
                            try (Stream<Path> grouped = Files.walk(decoy)) {
                                for (Path d : grouped.filter(Files::isRegularFile).toList()) {
                                    decoys.put(Files.readAttributes(d, BasicFileAttributes.class).fileKey(),
                                            new Tripped(id, target.resolve(decoy.relativize(d).toString())));
                                }
                            }
                        }
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
