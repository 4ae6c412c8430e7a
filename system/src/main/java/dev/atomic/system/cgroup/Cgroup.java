package dev.atomic.system.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * One control group, present in every hierarchy of its host. A negative limit means "no limit". An operation whose
 * controller the host lacks throws {@link CgroupException}; check {@link Cgroups#controllers()} first to degrade.
 */
public interface Cgroup {
    /** Relative to the hierarchy roots, e.g. {@code atomic/dak/demo-app}. */
    String path();

    /** v1 memory.limit_in_bytes, v2 memory.max. */
    void setMemoryMax(long bytes);

    /** pids.max: tasks, threads included. */
    void setPidsMax(long max);

    /** v1 cpu.cfs_period_us + cpu.cfs_quota_us, v2 cpu.max: {@code quotaMicros} of CPU time per period. */
    void setCpuQuota(long quotaMicros, long periodMicros);

    /** cpuset.cpus, e.g. {@code "1"} or {@code "0-3"}. */
    void setCpus(String cpuList);

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
