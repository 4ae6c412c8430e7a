package dev.atomic.system.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a process sits in the host's cgroup hierarchies, so it can be put back there: the Sovereign joins its own
 * group while Atomic runs and returns to where it was started (a login session, a service unit) before it removes
 * Atomic's tree.
 *
 * @param procsFiles the {@code cgroup.procs} file of each group the process was in, one per hierarchy
 */
public record CgroupPlacement(List<Path> procsFiles) {
    public CgroupPlacement {
        procsFiles = List.copyOf(procsFiles);
    }

    /**
     * Reads {@code /proc/<pid>/cgroup} ({@code id:controllers:path} per line; {@code 0::path} for cgroup v2) and
     * resolves each line against the mounts.
     */
    public static CgroupPlacement of(long pid, CgroupMounts mounts) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")), mounts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cgroups of process " + pid, e);
        }
    }

    static CgroupPlacement parse(String procCgroup, CgroupMounts mounts) {
        Set<Path> files = new LinkedHashSet<>();
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            String relative = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (f[1].isEmpty()) {
                mounts.unified().ifPresent(root -> files.add(root.resolve(relative).resolve("cgroup.procs")));
            } else {
                for (String controller : f[1].split(",")) {
                    Path root = mounts.v1Controllers().get(controller);
                    if (root != null) {
                        files.add(root.resolve(relative).resolve("cgroup.procs"));
                        break;
                    }
                }
            }
        }
        return new CgroupPlacement(new ArrayList<>(files));
    }

    /** Puts the process back; a group that no longer exists is skipped (there is nowhere to go back to). */
    public void restore(long pid) {
        for (Path procs : procsFiles) {
            if (Files.exists(procs)) {
                CgroupFiles.write(procs.getParent().toString(), procs, Long.toString(pid));
            }
        }
    }
}
