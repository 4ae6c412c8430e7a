package dev.atomic.system.cgroup;

/**
 * What a group consumes now; -1 for what this host cannot tell (its controller is missing).
 *
 * @param memoryBytes memory charged to the group, page cache included
 * @param cpuNanos    CPU time used since the group was created
 * @param pids        tasks (threads included) in the group
 */
public record CgroupUsage(long memoryBytes, long cpuNanos, long pids) {
}
