package dev.atomic.system.cgroup;

import dev.atomic.system.Signals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/** What v1 and v2 groups do alike: they differ in how many directories a group has and which files hold what. */
abstract sealed class BaseCgroup implements Cgroup permits V1Cgroup, V2Cgroup {
    private final String path;

    BaseCgroup(String path) {
        this.path = path;
    }

    /** This group's directory in each hierarchy, without duplicates (v2 has exactly one). */
    abstract List<Path> directories();

    /** Writes a controller's file, or says plainly that this host lacks the controller. */
    abstract void write(String controller, String name, String value);

    /** Asks the freezer to freeze or thaw, without waiting for it. */
    abstract void requestFreeze(boolean frozen);

    /** Whether {@link #requestFreeze} works here (v1 without a freezer hierarchy cannot). */
    abstract boolean canFreeze();

    @Override
    public String path() {
        return path;
    }

    /** {@code dir}, this group in one hierarchy, preceded by its ancestors below that hierarchy's root. */
    final List<Path> lineage(Path dir) {
        int depth = CgroupFiles.segments(path).size();
        List<Path> lineage = new ArrayList<>();
        for (Path d = dir; lineage.size() < depth; d = d.getParent()) {
            lineage.addFirst(d);
        }
        return lineage;
    }

    @Override
    public List<Path> procsFiles() {
        return directories().stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    public void addProcess(long pid) {
        for (Path procs : procsFiles()) {
            CgroupFiles.write(path, procs, Long.toString(pid));
        }
    }

    @Override
    public List<Long> processes() {
        TreeSet<Long> pids = new TreeSet<>();
        for (Path procs : procsFiles()) {
            pids.addAll(CgroupFiles.pids(path, procs));
        }
        return List.copyOf(pids);
    }

    @Override
    public void freeze() {
        requestFreeze(true);
        CgroupFiles.await(path, "freezing", this::frozen);
    }

    @Override
    public void thaw() {
        requestFreeze(false);
        CgroupFiles.await(path, "thawing", () -> !frozen());
    }

    @Override
    public void killAll() {
        CgroupFiles.await(path, "every process exiting after SIGKILL", this::signalRemaining);
    }

    /** One round of SIGKILL to whoever is in the group; true once nobody is. */
    private boolean signalRemaining() {
        List<Long> pids = processes();
        if (pids.isEmpty()) {
            return true;
        }
        // Frozen, the group cannot fork faster than we kill. v1 delivers SIGKILL only once thawed, so thaw after.
        boolean freezable = canFreeze();
        if (freezable) {
            requestFreeze(true);
        }
        for (long pid : processes()) {
            Signals.kill(pid, Signals.SIGKILL);
        }
        if (freezable) {
            requestFreeze(false);
        }
        return false;
    }

    @Override
    public void remove() {
        for (Path dir : directories()) {
            if (Files.isDirectory(dir)) {
                removeTree(dir);
            }
        }
    }

    private void removeTree(Path dir) {
        List<Path> deepestFirst;
        try (Stream<Path> tree = Files.walk(dir)) {
            deepestFirst = tree.filter(Files::isDirectory)
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        } catch (IOException e) {
            throw new CgroupException("cgroup " + path + ": cannot list " + dir + ": " + CgroupFiles.reason(e), e);
        }
        for (Path d : deepestFirst) {
            try {
                Files.delete(d);
            } catch (IOException e) {
                List<Long> inside = CgroupFiles.pids(path, d.resolve("cgroup.procs"));
                throw new CgroupException("cgroup " + path + ": cannot remove " + d + ": " + (inside.isEmpty()
                        ? CgroupFiles.reason(e) : "processes " + inside + " are still inside (killAll() first)"), e);
            }
        }
    }

    /** The same file and values on v1 and v2. */
    @Override
    public final void setPidsMax(long max) {
        write("pids", "pids.max", max < 0 ? "max" : Long.toString(max));
    }
}
