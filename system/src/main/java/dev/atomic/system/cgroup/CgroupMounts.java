package dev.atomic.system.cgroup;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the host mounted its cgroup hierarchies, read from {@code /proc/self/mountinfo}.
 * <p>
 * Shared by the cgroup layer (to pick v1 or v2) and the Auditor (to report what the host offers), so that
 * both read the host the same way.
 *
 * @param unified      the cgroup2 mount point, if any (on a hybrid host, {@code /sys/fs/cgroup/unified})
 * @param v1Controllers each cgroup v1 controller mounted, with its mount point ({@code memory -> /sys/fs/cgroup/memory})
 */
public record CgroupMounts(Optional<Path> unified, Map<String, Path> v1Controllers) {

    /** Options of a v1 cgroup mount that are not controller names. */
    private static final Set<String> NOT_CONTROLLERS = Set.of("rw", "ro", "relatime", "noatime", "nosuid", "nodev",
            "noexec", "clone_children", "xattr", "nsdelegate", "memory_recursiveprot", "memory_localevents",
            "favordynmods", "cpuset_v2_mode", "noprefix");

    public CgroupMounts {
        v1Controllers = Collections.unmodifiableMap(new LinkedHashMap<>(v1Controllers));
    }

    /**
     * Parses mountinfo text. Each line is
     * {@code id parent major:minor root mountpoint options [optional...] - fstype source superoptions}.
     */
    public static CgroupMounts parse(String mountinfo) {
        Path unified = null;
        Map<String, Path> v1 = new LinkedHashMap<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.trim().split(" ");
            int dash = separator(f);
            if (dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            String fsType = f[dash + 1];
            Path mountPoint = Path.of(unescape(f[4]));
            if (fsType.equals("cgroup2")) {
                // The first cgroup2 mount wins: later ones are bind mounts of the same hierarchy.
                if (unified == null) {
                    unified = mountPoint;
                }
            } else if (fsType.equals("cgroup") && dash + 3 < f.length) {
                for (String option : f[dash + 3].split(",")) {
                    if (!NOT_CONTROLLERS.contains(option) && !option.contains("=")) {
                        v1.putIfAbsent(option, mountPoint);
                    }
                }
            }
        }
        return new CgroupMounts(Optional.ofNullable(unified), v1);
    }

    /** True when at least one controller is bound to a v1 hierarchy (a legacy or hybrid host). */
    public boolean hasV1() {
        return !v1Controllers.isEmpty();
    }

    /** The "-" that ends the optional fields; searched after the six fixed fields, since a mount point may be "-". */
    private static int separator(String[] fields) {
        for (int i = 6; i < fields.length; i++) {
            if (fields[i].equals("-")) {
                return i;
            }
        }
        return -1;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
