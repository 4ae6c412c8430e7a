package dev.atomic.system.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One control group, present in every hierarchy of its host. A negative limit means "no limit". An operation whose
 * controller the host lacks throws {@link CgroupException}; check {@link Cgroups#controllers()} first to degrade.
 */
public interface Cgroup {
    /** Relative to the hierarchy roots, e.g. {@code atomic/dak/demo-app}. */
    String path();

    /** v1 memory.limit_in_bytes, v2 memory.max. */
    void setMemoryMax(long bytes);

    /**
     * v2 memory.min: memory the kernel never reclaims from the group, whatever the pressure (it OOM-kills elsewhere
     * first). A group is protected only within what its parent is, so every ancestor needs as much. v1 has no such
     * protection: it throws there (see {@link #setMemorySoftLimit}).
     */
    void setMemoryMin(long bytes);

    /**
     * v2 memory.low: reclaimed only once no unprotected memory is left (best effort), within what the parent
     * protects. v1 has none: it throws there.
     */
    void setMemoryLow(long bytes);

    /**
     * v1 memory.soft_limit_in_bytes: under host memory pressure the kernel reclaims first from the groups furthest
     * above their soft limit. The reverse of a protection: v1's nearest to memory.min is a low soft limit on the
     * groups that do not matter. v2 has no soft limit (memory.high throttles instead): it throws there.
     */
    void setMemorySoftLimit(long bytes);

    /** pids.max: tasks, threads included. */
    void setPidsMax(long max);

    /** v1 cpu.cfs_period_us + cpu.cfs_quota_us, v2 cpu.max: {@code quotaMicros} of CPU time per period. */
    void setCpuQuota(long quotaMicros, long periodMicros);

    /** cpuset.cpus, e.g. {@code "1"} or {@code "0-3"}. */
    void setCpus(String cpuList);

    /**
     * Makes the CPUs of this group's cpuset.cpus its own (and its descendants'), claiming them in every ancestor below
     * the hierarchy's root. v2: cpuset.cpus.exclusive down the path (Linux 6.7+), then cpuset.cpus.partition = root,
     * which takes the CPUs away from every other group, host processes included. v1: cpuset.cpu_exclusive on the
     * group and its ancestors, refused while a sibling on the way shares the CPUs; it only forbids them to other
     * cpusets, so processes in no cpuset of their own still run there.
     *
     * @return empty when in force; otherwise the kernel's reason, with what was written undone
     */
    Optional<String> claimCpus();

    /**
     * The group's share of CPU time under contention, relative to its siblings, in cgroup v2 units: 1 to 10000,
     * 100 by default (v1 cpu.shares scaled: 100 ↔ 1024). Unlike a quota it never idles a CPU the others leave free.
     */
    void setCpuWeight(int weight);

    /** Moves {@code pid} (all its threads) into this group in every hierarchy. */
    void addProcess(long pid);

    /**
     * The cgroup.procs file of each hierarchy. A launcher writes its own pid into each before it execs, so the
     * program never runs a single instruction outside its group.
     */
    List<Path> procsFiles();

    /** The processes in this group (not in its descendants), in any hierarchy. */
    List<Long> processes();

    /** Stops every process; returns once all of them are frozen. */
    void freeze();

    void thaw();

    boolean frozen();

    CgroupUsage usage();

    /** SIGKILLs every process in the group and returns once it is empty. */
    void killAll();

    /** Removes this group and its descendants in every hierarchy; fails, naming them, while processes remain. */
    void remove();
}
