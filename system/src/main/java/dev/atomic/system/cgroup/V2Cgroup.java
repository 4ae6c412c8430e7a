package dev.atomic.system.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A v2 group: one directory, whose cgroup.controllers says which limits it can have. */
final class V2Cgroup extends BaseCgroup {
    private final Path dir;

    V2Cgroup(String path, Path dir) {
        super(path);
        this.dir = dir;
    }

    @Override
    List<Path> directories() {
        return List.of(dir);
    }

    @Override
    public void setMemoryMax(long bytes) {
        write("memory", "memory.max", bytes < 0 ? "max" : Long.toString(bytes));
    }

    @Override
    public void setMemoryMin(long bytes) {
        write("memory", "memory.min", Long.toString(Math.max(0, bytes)));
    }

    @Override
    public void setMemoryLow(long bytes) {
        write("memory", "memory.low", Long.toString(Math.max(0, bytes)));
    }

    @Override
    public void setMemorySoftLimit(long bytes) {
        throw new CgroupException("cgroup " + path() + ": cgroup v2 has no soft limit (memory.high throttles the group "
                + "instead); protect the groups that matter with memory.min or memory.low");
    }

    @Override
    public void setCpuQuota(long quotaMicros, long periodMicros) {
        write("cpu", "cpu.max", (quotaMicros < 0 ? "max" : Long.toString(quotaMicros)) + " " + periodMicros);
    }

    @Override
    public void setCpuWeight(int weight) {
        write("cpu", "cpu.weight", Integer.toString(Math.clamp(weight, 1, 10_000)));
    }

    @Override
    public void setCpus(String cpuList) {
        write("cpuset", "cpuset.cpus", cpuList);
    }

    /**
     * A remote partition: every ancestor below the root hands the CPUs down in cpuset.cpus.exclusive, so no parent
     * needs to be a partition itself (which would take all of its CPUs from the host).
     */
    @Override
    public Optional<String> claimCpus() {
        require("cpuset");
        String cpus = CgroupFiles.read(path(), dir.resolve("cpuset.cpus"));
        if (cpus.isEmpty()) {
            throw new CgroupException("cgroup " + path() + ": set cpuset.cpus before claiming its CPUs");
        }
        if (!Files.exists(dir.resolve("cpuset.cpus.exclusive"))) {
            return Optional.of("cgroup v2 without cpuset.cpus.exclusive: a partition below a group that is not one "
                    + "needs Linux 6.7 or later");
        }
        Map<Path, String> before = new LinkedHashMap<>();
        try {
            for (Path d : lineage(dir)) {
                Path exclusive = d.resolve("cpuset.cpus.exclusive");
                String held = CgroupFiles.read(path(), exclusive);
                if (held.equals(cpus)) {
                    continue;
                }
                if (!held.isEmpty()) {
                    undo(before);
                    return Optional.of(d + " already claims CPUs " + held + " for another group");
                }
                before.put(exclusive, held);
                CgroupFiles.write(path(), exclusive, cpus);
            }
            Path partition = dir.resolve("cpuset.cpus.partition");
            before.put(partition, CgroupFiles.read(path(), partition));
            CgroupFiles.write(path(), partition, "root");
            Optional<String> invalid = partitionProblem(CgroupFiles.read(path(), partition));
            if (invalid.isPresent()) {
                undo(before);
            }
            return invalid;
        } catch (CgroupException e) {
            undo(before);
            return Optional.of(e.getMessage());
        }
    }

    /** cpuset.cpus.partition reads "root" when in force, "root invalid (why)" when the kernel cannot honour it. */
    static Optional<String> partitionProblem(String state) {
        if (state.equals("root")) {
            return Optional.empty();
        }
        int open = state.indexOf('(');
        String why = open >= 0 && state.endsWith(")") ? state.substring(open + 1, state.length() - 1) : state;
        return Optional.of("the kernel left the partition invalid: " + why);
    }

    /** Writes the old values back, last first; an empty one as a newline, since a write of nothing changes nothing. */
    private void undo(Map<Path, String> before) {
        for (Map.Entry<Path, String> e : new ArrayList<>(before.entrySet()).reversed()) {
            CgroupFiles.write(path(), e.getKey(), e.getValue().isEmpty() ? "\n" : e.getValue());
        }
    }

    @Override
    boolean canFreeze() {
        return true;
    }

    @Override
    void requestFreeze(boolean frozen) {
        CgroupFiles.write(path(), dir.resolve("cgroup.freeze"), frozen ? "1" : "0");
    }

    /** cgroup.events says "frozen 1" only once every task has stopped; cgroup.freeze alone is just the request. */
    @Override
    public boolean frozen() {
        return CgroupFiles.read(path(), dir.resolve("cgroup.events")).lines().anyMatch("frozen 1"::equals);
    }

    @Override
    public CgroupUsage usage() {
        long cpuMicros = CgroupFiles.read(path(), dir.resolve("cpu.stat")).lines()
                .filter(l -> l.startsWith("usage_usec ")).mapToLong(l -> Long.parseLong(l.substring(11))).findFirst()
                .orElse(-1);
        return new CgroupUsage(number("memory.current"), cpuMicros < 0 ? -1 : cpuMicros * 1000, number("pids.current"));
    }

    /** cgroup.kill (Linux 5.14+) kills atomically, forks in flight included; older kernels get the signal loop. */
    @Override
    public void killAll() {
        Path kill = dir.resolve("cgroup.kill");
        if (!Files.exists(kill)) {
            super.killAll();
            return;
        }
        CgroupFiles.write(path(), kill, "1");
        CgroupFiles.await(path(), "every process exiting after cgroup.kill", () -> processes().isEmpty());
        // As on v1: an emptied group is left thawed, or whoever joins it next would stop at once.
        requestFreeze(false);
    }

    private long number(String name) {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Long.parseLong(CgroupFiles.read(path(), file)) : -1;
    }

    @Override
    void write(String controller, String name, String value) {
        require(controller);
        CgroupFiles.write(path(), dir.resolve(name), value);
    }

    private void require(String controller) {
        List<String> offered = List.of(CgroupFiles.read(path(), dir.resolve("cgroup.controllers")).split("\\s+"));
        if (!offered.contains(controller)) {
            throw new CgroupException("cgroup " + path() + ": the " + controller + " controller is not available on "
                    + "this host (cgroup v2 without " + controller + " in cgroup.controllers)");
        }
    }
}
