package dev.atomic.system.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** The cgroup hierarchies of one host, v1 or v2, behind one API. */
public sealed interface Cgroups permits CgroupV1, CgroupV2 {

    /**
     * The host's hierarchies: v1 when any controller Atomic uses is mounted as v1 (even beside a controller-less
     * cgroup2, as systemd's hybrid mode does), else v2.
     *
     * @throws CgroupsUnavailable when neither is mounted, or not writable (not root, no delegated cgroup)
     */
    static Cgroups detect() throws CgroupsUnavailable {
        try {
            return detect(CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo"))));
        } catch (IOException e) {
            throw new CgroupsUnavailable("cannot read /proc/self/mountinfo: " + e.getMessage());
        }
    }

    /** As {@link #detect()}, for mounts read elsewhere. */
    static Cgroups detect(CgroupMounts mounts) throws CgroupsUnavailable {
        CgroupV1 v1 = new CgroupV1(mounts);
        if (!v1.controllers().isEmpty()) {
            for (Path root : v1.roots()) {
                requireWritable(root, "the cgroup v1 hierarchy");
            }
            return v1;
        }
        if (mounts.unified().isPresent()) {
            Path root = mounts.unified().get();
            requireWritable(root, "cgroup2");
            return new CgroupV2(root);
        }
        throw new CgroupsUnavailable("no cgroup hierarchy is mounted: /proc/self/mountinfo has neither cgroup v1 "
                + "controllers nor a cgroup2 file system");
    }

    private static void requireWritable(Path root, String what) throws CgroupsUnavailable {
        if (!Files.isWritable(root)) {
            throw new CgroupsUnavailable(what + " at " + root + " is not writable by this user: run as root, or in a "
                    + "cgroup delegated to this user (systemd Delegate=yes)");
        }
    }

    /** "v1" or "v2". */
    String version();

    /** The usable ones among cpu, cpuset, memory, pids and freezer. */
    Set<String> controllers();

    /** Creates the group and its missing ancestors, ready for processes to join; does nothing if it exists. */
    Cgroup create(String path);

    Optional<Cgroup> find(String path);
}
