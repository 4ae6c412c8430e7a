package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FrameType;

/**
 * Policy 3's sizes ({@code memory.limit.<id>}, {@code cpu.quota.<id>}), handed to the Sovereign, which owns the
 * cgroups and holds them within the manifest's ({@code Resizing}): on the duty cycle, once a second, for each running
 * component whose sizes changed since they were last sent, or that runs in a new process (whose group was given its
 * manifest's limits when it started). A size back on its default (the policy stopped, and it decayed) is sent as 0:
 * the manifest's own.
 */
final class LimitOrders {
    private final long[] pid;
    private final long[] memory;
    private final long[] cpu;

    LimitOrders(int members) {
        this.pid = new long[members];
        this.memory = new long[members];
        this.cpu = new long[members];
    }

    void tick(Member[] members, EngineTunables tunables, ControlRegion control) {
        for (Member m : members) {
            if (m.state != Member.State.READY || m.frozen()) {
                continue;
            }
            int s = m.slot;
            if (pid[s] != m.pid) {
                pid[s] = m.pid;
                memory[s] = 0;
                cpu[s] = 0;
            }
            long mem = tunables.memoryLimit(s);
            long cpus = tunables.cpuQuotaMicros(s);
            if ((mem != memory[s] || cpus != cpu[s])
                    && control.admin().offer(FrameType.LIMITS, -1, s, 0, 0, mem, cpus)) {
                memory[s] = mem;
                cpu[s] = cpus;
            }
        }
    }
}
