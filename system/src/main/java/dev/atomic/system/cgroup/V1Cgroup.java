package dev.atomic.system.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A v1 group: one directory per controller hierarchy. */
final class V1Cgroup extends BaseCgroup {
    private final Map<String, Path> dirs;

    V1Cgroup(String path, Map<String, Path> dirs) {
        super(path);
        this.dirs = Map.copyOf(dirs);
    }

    @Override
    List<Path> directories() {
        return List.copyOf(new LinkedHashSet<>(dirs.values()));
    }

    @Override
    public void setMemoryMax(long bytes) {
        write("memory", "memory.limit_in_bytes", bytes < 0 ? "-1" : Long.toString(bytes));
    }

    @Override
    public void setMemoryMin(long bytes) {
        throw noProtection("memory.min");
    }

    @Override
    public void setMemoryLow(long bytes) {
        throw noProtection("memory.low");
    }

    private CgroupException noProtection(String file) {
        return new CgroupException("cgroup " + path() + ": cgroup v1 has no " + file + "; its nearest is a low soft "
                + "limit on the other groups, so that host memory pressure reclaims them first");
    }

    @Override
    public void setMemorySoftLimit(long bytes) {
        write("memory", "memory.soft_limit_in_bytes", bytes < 0 ? "-1" : Long.toString(bytes));
    }

    @Override
    public void setCpuQuota(long quotaMicros, long periodMicros) {
        write("cpu", "cpu.cfs_period_us", Long.toString(periodMicros));
        write("cpu", "cpu.cfs_quota_us", quotaMicros < 0 ? "-1" : Long.toString(quotaMicros));
    }

    @Override
    public void setCpuWeight(int weight) {
        write("cpu", "cpu.shares", Long.toString(Math.max(2, weight * 1024L / 100)));
    }

    @Override
    public void setCpus(String cpuList) {
        write("cpuset", "cpuset.cpus", cpuList);
    }

    /** Top-down, since v1 lets a cpuset be exclusive only inside an exclusive parent. */
    @Override
    public Optional<String> claimCpus() {
        List<Path> set = new ArrayList<>();
        for (Path dir : lineage(dir("cpuset"))) {
            Path flag = dir.resolve("cpuset.cpu_exclusive");
            if (CgroupFiles.read(path(), flag).equals("1")) {
                continue;
            }
            try {
                CgroupFiles.write(path(), flag, "1");
                set.add(flag);
            } catch (CgroupException e) {
                set.reversed().forEach(f -> CgroupFiles.write(path(), f, "0"));
                return Optional.of(e.getMessage() + sharers(dir));
            }
        }
        return Optional.empty();
    }

    /** The usual reason v1 refuses: a sibling holds some of the same CPUs. Names each sibling with its CPUs. */
    private String sharers(Path dir) {
        List<String> siblings = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir.getParent())) {
            for (Path d : entries.filter(Files::isDirectory).filter(d -> !d.equals(dir)).sorted().toList()) {
                siblings.add(d.getFileName() + " (CPUs " + CgroupFiles.read(path(), d.resolve("cpuset.cpus")) + ")");
            }
        } catch (IOException | CgroupException e) {
            return "";
        }
        return siblings.isEmpty() ? "" : " (an exclusive cpuset may share no CPU with a sibling; beside "
                + dir.getFileName() + " are " + String.join(", ", siblings) + ")";
    }

    @Override
    boolean canFreeze() {
        return dirs.containsKey("freezer");
    }

    @Override
    void requestFreeze(boolean frozen) {
        write("freezer", "freezer.state", frozen ? "FROZEN" : "THAWED");
    }

    /** FREEZING, the state between the two, counts as not frozen: some task has not stopped yet. */
    @Override
    public boolean frozen() {
        return CgroupFiles.read(path(), file("freezer", "freezer.state")).equals("FROZEN");
    }

    @Override
    public CgroupUsage usage() {
        return new CgroupUsage(number("memory", "memory.usage_in_bytes"), number("cpuacct", "cpuacct.usage"),
                number("pids", "pids.current"));
    }

    private CgroupException missing(String controller) {
        return new CgroupException("cgroup " + path() + ": the " + controller + " controller is not available on this "
                + "host (cgroup v1 without a " + controller + " hierarchy mounted)");
    }

    private long number(String controller, String name) {
        Path dir = dirs.get(controller);
        if (dir == null || !Files.exists(dir.resolve(name))) {
            return -1;
        }
        return Long.parseLong(CgroupFiles.read(path(), dir.resolve(name)));
    }

    @Override
    void write(String controller, String name, String value) {
        CgroupFiles.write(path(), file(controller, name), value);
    }

    private Path file(String controller, String name) {
        return dir(controller).resolve(name);
    }

    private Path dir(String controller) {
        Path dir = dirs.get(controller);
        if (dir == null) {
            throw missing(controller);
        }
        return dir;
    }
}
