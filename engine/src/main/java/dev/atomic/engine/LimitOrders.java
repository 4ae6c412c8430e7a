package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.FrameType;

/**
 * Policy 3's sizes ({@code memory.limit.<id>}, {@code cpu.quota.<id>}), handed to the Sovereign, which owns the
 * cgroups and holds them within the manifest's ({@code Resizing}): on the duty cycle, once a second, for each running
 * component a policy sized. Sent every second, changed or not: the Sovereign never sets a memory limit below a
 * quarter above the group's usage, so a component that grows by less than that in a second is never killed by a size
 * a policy chose, only by its manifest's. A size back on its default (the policy stopped, and it decayed) is sent once
 * as 0: the manifest's own; so is none to a new process, whose group starts at its manifest's limits.
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
            boolean sized = mem != 0 || cpus != 0;
            if ((sized || memory[s] != 0 || cpu[s] != 0)
                    && control.admin().offer(FrameType.LIMITS, -1, s, 0, 0, mem, cpus)) {
                memory[s] = mem;
                cpu[s] = cpus;
            }
        }
    }
}
