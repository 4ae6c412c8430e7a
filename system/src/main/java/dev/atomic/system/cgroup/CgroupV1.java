package dev.atomic.system.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * cgroup v1: one hierarchy per controller (or per co-mounted set, like {@code cpu,cpuacct}), so a group is one
 * directory in each, and every operation picks the hierarchy of its controller.
 */
public final class CgroupV1 implements Cgroups {
    /** The controllers a group is created in; cpuacct only serves {@link Cgroup#usage()}. */
    private static final List<String> USED = List.of("cpu", "cpuacct", "cpuset", "memory", "pids", "freezer");
    private static final List<String> OFFERED = List.of("cpu", "cpuset", "memory", "pids", "freezer");

    private final Map<String, Path> mounts = new LinkedHashMap<>();

    public CgroupV1(CgroupMounts mounts) {
        for (String controller : USED) {
            Path mount = mounts.v1Controllers().get(controller);
            if (mount != null) {
                this.mounts.put(controller, mount);
            }
        }
    }

    @Override
    public String version() {
        return "v1";
    }

    @Override
    public Set<String> controllers() {
        Set<String> usable = new LinkedHashSet<>(OFFERED);
        usable.retainAll(mounts.keySet());
        return Collections.unmodifiableSet(usable);
    }

    /** The mount points this layer writes under, each once. */
    Set<Path> roots() {
        return new LinkedHashSet<>(mounts.values());
    }

    @Override
    public Cgroup create(String path) {
        List<String> segments = CgroupFiles.segments(path);
        for (Path root : roots()) {
            Path dir = root;
            for (String segment : segments) {
                Path parent = dir;
                dir = dir.resolve(segment);
                CgroupFiles.mkdir(path, dir);
                if (root.equals(mounts.get("cpuset"))) {
                    inheritCpuset(path, parent, dir);
                }
            }
        }
        return group(path);
    }

    /** A v1 cpuset starts with no CPUs and no memory nodes, and nobody can join it until it has both. */
    private static void inheritCpuset(String group, Path parent, Path dir) {
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            if (CgroupFiles.read(group, dir.resolve(file)).isEmpty()) {
                CgroupFiles.write(group, dir.resolve(file), CgroupFiles.read(group, parent.resolve(file)));
            }
        }
    }

    @Override
    public Optional<Cgroup> find(String path) {
        CgroupFiles.segments(path);
        boolean everywhere = !mounts.isEmpty() && roots().stream().allMatch(r -> Files.isDirectory(r.resolve(path)));
        return everywhere ? Optional.of(group(path)) : Optional.empty();
    }

    private Cgroup group(String path) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        mounts.forEach((controller, root) -> dirs.put(controller, root.resolve(path)));
        return new V1Cgroup(path, dirs);
    }
}
