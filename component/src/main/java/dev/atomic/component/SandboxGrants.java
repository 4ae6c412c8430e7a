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
 * @param fuseMount  where the Sovereign mounts a FUSE session it owns and hands to this driver ({@link FuseSession}):
 *                   an absolute path, or a name under the instance's {@code mnt} directory; empty for none
 * @param mounts     the drivers whose FUSE mounts it may use, read and write, each seen at {@code /mnt/<driver>}
 *                   ({@link #mountIn})
 */
public record SandboxGrants(List<String> read, List<String> write, boolean network, long stateBytes,
                            String fuseMount, List<String> mounts) {
    public static final long DEFAULT_STATE_BYTES = 64L << 20;
    static final long MIN_STATE_BYTES = 4L << 20;
    static final long MAX_STATE_BYTES = 1L << 40;
    /** No path, no network, the default state size. */
    public static final SandboxGrants NONE = new SandboxGrants(List.of(), List.of(), false);

    public SandboxGrants(List<String> read, List<String> write, boolean network) {
        this(read, write, network, DEFAULT_STATE_BYTES);
    }

    /** No FUSE mount, of its own or another's. */
    public SandboxGrants(List<String> read, List<String> write, boolean network, long stateBytes) {
        this(read, write, network, stateBytes, "", List.of());
    }

    /** Where a sandboxed component sees the FUSE mount of {@code driver}, when granted. */
    public static String mountIn(String driver) {
        return "/mnt/" + driver;
    }

    public SandboxGrants {
        read = List.copyOf(read);
        write = List.copyOf(write);
        mounts = List.copyOf(mounts);
        java.util.Objects.requireNonNull(fuseMount, "fuseMount");
        if (!fuseMount.isEmpty() && fuseMountProblem(fuseMount) != null) {
            throw new IllegalArgumentException(fuseMountProblem(fuseMount));
        }
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

    private static final java.util.regex.Pattern MOUNT_NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{0,39}");

    /** Why {@code path} cannot be a FUSE mount point, or null: an absolute normalised path (not "/"), or a name. */
    static String fuseMountProblem(String path) {
        if (MOUNT_NAME.matcher(path).matches()) {
            return null;
        }
        return path.startsWith("/") && !path.equals("/") && normalised(path) ? null
                : "a FUSE mount point is an absolute, normalised path other than \"/\", or a name (1-40 of a-z, 0-9, "
                + "'.', '-') under the instance's mnt directory, not \"" + path + "\"";
    }

    /** Why a component of {@code kind}, {@code tier}, with a warm spare or not, cannot have a FUSE mount, or null. */
    static String fuseHolderProblem(String kind, int tier, boolean spare) {
        if (!"driver".equals(kind)) {
            return "only a driver is given a FUSE mount, not a " + kind;
        }
        if (tier != 2) {
            return "a driver with a FUSE mount is Tier 2: the Sovereign hands the session to its process alone";
        }
        return spare ? "a driver with a FUSE mount has no warm spare (restart.spare): one process at a time serves "
                + "the session" : null;
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
