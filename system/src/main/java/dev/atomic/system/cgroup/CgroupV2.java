package dev.atomic.system.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * cgroup v2: one hierarchy, where a group gets a controller only when every ancestor lists it in
 * cgroup.subtree_control. Freezing and killing are core features, present without any controller.
 */
public final class CgroupV2 implements Cgroups {
    private static final List<String> DOMAIN = List.of("cpu", "cpuset", "memory", "pids");

    private final Path root;

    /** @param root the cgroup2 mount point, or a cgroup below it that was delegated to this user */
    public CgroupV2(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        return "v2";
    }

    @Override
    public Set<String> controllers() {
        Set<String> usable = new LinkedHashSet<>(available("/", root));
        usable.add("freezer");
        return Collections.unmodifiableSet(usable);
    }

    /** The controllers we use that {@code dir} has, so can hand down to its children. */
    private static Set<String> available(String group, Path dir) {
        Set<String> offered = words(group, dir.resolve("cgroup.controllers"));
        Set<String> usable = new LinkedHashSet<>(DOMAIN);
        usable.retainAll(offered);
        return usable;
    }

    @Override
    public Cgroup create(String path) {
        Path dir = root;
        for (String segment : CgroupFiles.segments(path)) {
            enableForChildren(path, dir);
            dir = dir.resolve(segment);
            CgroupFiles.mkdir(path, dir);
        }
        return new V2Cgroup(path, dir);
    }

    /** Writes the missing controllers into {@code dir}'s cgroup.subtree_control, so its children get them. */
    private void enableForChildren(String group, Path dir) {
        Set<String> wanted = available(group, dir);
        wanted.removeAll(words(group, dir.resolve("cgroup.subtree_control")));
        if (wanted.isEmpty()) {
            return;
        }
        try {
            CgroupFiles.write(group, dir.resolve("cgroup.subtree_control"), "+" + String.join(" +", wanted));
        } catch (CgroupException e) {
            List<Long> inside = CgroupFiles.pids(group, dir.resolve("cgroup.procs"));
            if (dir.equals(root) || inside.isEmpty()) {
                throw e;
            }
            throw new CgroupException(e.getMessage() + ": processes " + inside + " live in " + dir + " itself, and "
                    + "cgroup v2 hands controllers down only from groups without processes of their own", e);
        }
    }

    private static Set<String> words(String group, Path file) {
        String text = CgroupFiles.read(group, file);
        return text.isEmpty() ? Set.of() : Set.of(text.split("\\s+"));
    }

    @Override
    public Optional<Cgroup> find(String path) {
        CgroupFiles.segments(path);
        Path dir = root.resolve(path);
        return Files.isDirectory(dir) ? Optional.of(new V2Cgroup(path, dir)) : Optional.empty();
    }
}
