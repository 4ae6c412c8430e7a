package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.CgroupException;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Policy 3's sizes applied to a running component's cgroup, as the Engine asks (a LIMITS frame): the Sovereign owns
 * the cgroups, and holds every size within the manifest's — a memory limit never above the manifest's nor below
 * {@link #ABOVE_USAGE} times what the group is charged now (page cache included, which the Engine's resident memory
 * leaves out: at its usage the kernel would reclaim, or kill, at once), a CPU quota never above the manifest's quota
 * (none: the host's CPUs), over a period of a second ({@link #PERIOD_MICROS}). A size of 0 is the manifest's own. What cannot be applied here (no cgroups, no carving, a Tier 1
 * component sharing its partition host's process) is said once per component, not each second.
 */
final class Resizing {
    /** The groups it resizes, or why there are none: {@link Carving}'s. */
    interface Groups {
        Optional<Cgroup> resizable(ComponentSpec spec);

        String whyNotResizable();

        Set<String> controllers();
    }

    static final long MIB = 1 << 20;
    /** The least memory limit given: this much above the group's usage. */
    static final double ABOVE_USAGE = 1.25;
    /**
     * The period of a quota the policy set: a second, the granularity it measured demand at, so a burst within a
     * second's budget (a collection, a compilation) runs at once instead of waiting out 100 ms periods.
     */
    static final long PERIOD_MICROS = 1_000_000;
    /** The least CPU quota given, as the tunable's floor. */
    static final double MIN_CPUS = 0.05;

    private final Groups groups;
    private final int hostCpus;
    private final Consumer<String> say;
    private final Set<String> toldWhyNot = new HashSet<>();

    Resizing(Groups groups, int hostCpus, Consumer<String> say) {
        this.groups = groups;
        this.hostCpus = hostCpus;
        this.say = say;
    }

    /**
     * @param memoryBytes the memory limit asked for, 0 for the manifest's
     * @param cpuMicros   the CPU quota asked for, in millionths of a CPU, 0 for the manifest's
     * @param shared      whether it runs in its kernel's partition host (Tier 1): no group of its own to size
     */
    void apply(ComponentSpec spec, boolean shared, long memoryBytes, long cpuMicros) {
        String why = shared ? "it runs in its kernel's partition host (Tier 1), whose group it shares"
                : groups.whyNotResizable();
        Optional<Cgroup> group = why == null ? groups.resizable(spec) : Optional.empty();
        if (group.isEmpty()) {
            if (toldWhyNot.add(spec.id())) {
                say.accept("policy 3's sizes for " + spec.id() + " are not enforced: " + why);
            }
            return;
        }
        Cgroup g = group.get();
        Set<String> controllers = groups.controllers();
        try {
            if (controllers.contains("memory") && spec.memoryMaxBytes() > 0) {
                g.setMemoryMax(memory(spec, memoryBytes, g.usage().memoryBytes()));
            }
            if (controllers.contains("cpu")) {
                double cpus = cpus(spec, cpuMicros);
                if (cpuMicros <= 0 || cpus < 0) {
                    Carving.setCpus(g, cpus); // the manifest's own, or no quota
                } else {
                    g.setCpuQuota(Math.round(cpus * PERIOD_MICROS), PERIOD_MICROS);
                }
            }
        } catch (CgroupException e) {
            say.accept("could not resize " + spec.id() + "'s group: " + e.getMessage());
        }
    }

    /** The limit to write: as asked, within [{@link #ABOVE_USAGE} times its usage, in whole MiB; the manifest's]. */
    static long memory(ComponentSpec spec, long asked, long usage) {
        long ceiling = spec.memoryMaxBytes();
        if (asked <= 0) {
            return ceiling;
        }
        long floor = usage < 0 ? 0 : (long) Math.ceil(usage * ABOVE_USAGE / MIB) * MIB;
        return Math.min(ceiling, Math.max(floor, asked));
    }

    /** The CPUs to allow: as asked, within [{@link #MIN_CPUS}, the manifest's]; -1 for no quota at all. */
    double cpus(ComponentSpec spec, long askedMicros) {
        double ceiling = spec.cpuLimit() > 0 ? spec.cpuLimit() : -1;
        if (askedMicros <= 0) {
            return ceiling;
        }
        double asked = Math.max(MIN_CPUS, askedMicros / 1e6);
        if (ceiling > 0) {
            return Math.min(ceiling, asked);
        }
        return asked >= hostCpus ? -1 : asked;
    }
}
