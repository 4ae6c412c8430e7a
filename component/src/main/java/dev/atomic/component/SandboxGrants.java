package dev.atomic.component;

import java.util.List;

/**
 * What a component's sandbox lets it see beyond its own image and state: host paths, read-only or writable, and the
 * network. Nothing else of the host is in its view.
 *
 * @param read    absolute paths it may read
 * @param write   absolute paths it may read and write
 * @param network    whether it keeps the host's network (otherwise it gets a network namespace of its own, empty)
 * @param stateBytes how much its state directory holds: a file system of that size of its own, so that filling it
 *                   fills nobody else's disk
 */
public record SandboxGrants(List<String> read, List<String> write, boolean network, long stateBytes) {
    public static final long DEFAULT_STATE_BYTES = 64L << 20;
    static final long MIN_STATE_BYTES = 4L << 20;
    static final long MAX_STATE_BYTES = 1L << 40;
    /** No path, no network, the default state size. */
    public static final SandboxGrants NONE = new SandboxGrants(List.of(), List.of(), false);

    public SandboxGrants(List<String> read, List<String> write, boolean network) {
        this(read, write, network, DEFAULT_STATE_BYTES);
    }

    public SandboxGrants {
        read = List.copyOf(read);
        write = List.copyOf(write);
        if (stateSizeProblem(stateBytes) != null) {
            throw new IllegalArgumentException(stateSizeProblem(stateBytes));
        }
        for (String path : java.util.stream.Stream.concat(read.stream(), write.stream()).toList()) {
            String problem = pathProblem(path);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
    }

    static String stateSizeProblem(long bytes) {
        return bytes >= MIN_STATE_BYTES && bytes <= MAX_STATE_BYTES ? null
                : "a state size is 4MiB to 1TiB (a file system of its own), not " + bytes + " bytes";
    }

    /** Why a path cannot be granted, or null. The root is refused: it would grant the whole host. */
    static String pathProblem(String path) {
        if (path.equals("/")) {
            return "granting \"/\" would show the component the whole host: grant the paths it needs";
        }
        return path.startsWith("/") && normalised(path) ? null
                : "a granted path is absolute and normalised (no '.', '..', '//' or trailing '/'), not \"" + path + "\"";
    }

    /** True for a path with one spelling: no empty, '.' or '..' segment, no trailing '/'. */
    static boolean normalised(String path) {
        if (path.endsWith("/") || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
