package dev.atomic.system.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        List<String> offered = List.of(CgroupFiles.read(path(), dir.resolve("cgroup.controllers")).split("\\s+"));
        if (!offered.contains(controller)) {
            throw new CgroupException("cgroup " + path() + ": the " + controller + " controller is not available on "
                    + "this host (cgroup v2 without " + controller + " in cgroup.controllers)");
        }
        CgroupFiles.write(path(), dir.resolve(name), value);
    }
}
