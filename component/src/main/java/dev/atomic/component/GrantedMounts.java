package dev.atomic.component;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The FUSE mounts of other components' drivers a component is granted ({@code [sandbox] mounts}), as the Sovereign
 * tells it in its environment: where it sees each, {@code /mnt/<driver>} in a sandbox, the mount point itself
 * outside one. A driver's mount outlives the driver's crashes, so what a component does there does not fail when
 * the driver dies: its calls wait for the driver that takes over.
 */
public final class GrantedMounts {
    /** {@code driver=path}, separated by newlines (a path may hold anything else). */
    public static final String ENV = "ATOMIC_MOUNTS";

    private GrantedMounts() {
    }

    /** Writes {@code mounts} (driver id to where the component sees it) into a process's environment. */
    public static void put(Map<String, String> env, Map<String, Path> mounts) {
        if (!mounts.isEmpty()) {
            env.put(ENV, mounts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n")));
        }
    }

    /** Where {@code driver}'s mount is in {@code env}'s view; empty when not granted, or not told. */
    static Optional<Path> in(String env, String driver) {
        if (env == null) {
            return Optional.empty();
        }
        for (String line : env.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).equals(driver)) {
                return Optional.of(Path.of(line.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    /** Where this process sees {@code driver}'s mount, if {@code spec} is granted it. */
    static Optional<Path> of(ComponentSpec spec, String driver) {
        return spec.sandbox().mounts().contains(driver) ? in(System.getenv(ENV), driver) : Optional.empty();
    }
}
