package dev.atomic.sovereign;

import dev.atomic.auditor.CpuList;
import dev.atomic.auditor.Mode;
import dev.atomic.auditor.Reservation;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.CgroupException;
import dev.atomic.system.cgroup.Cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Auditor's reservation written into the kernels' groups, CPU then memory, each saying in a phrase what it
 * applied, or plainly what it could not. {@link Carving} says why these mechanisms and not others.
 */
final class Reserve {
    /** CPU weights, in cgroup v2 units (100 is the default). */
    static final int ENGINE_WEIGHT = 400;
    static final int SERVICES_WEIGHT = 200;
    static final int DAK_WEIGHT = 25;
    /** Work nobody waits for ({@link dev.atomic.system.cgroup.Background}): the lowest weight there is. */
    static final int BACKGROUND_WEIGHT = 1;
    private static final String WEIGHTS = "CPU weights engine " + ENGINE_WEIGHT + ", services " + SERVICES_WEIGHT
            + ", drivers & apps " + DAK_WEIGHT + ", background " + BACKGROUND_WEIGHT;

    /** The instance's group and its five children. */
    record Tree(Cgroup instance, Cgroup sovereign, Cgroup engine, Cgroup services, Cgroup dak, Cgroup background) {
    }

    private Reserve() {
    }

    /** @param cpus the host's logical CPUs */
    static List<String> apply(Cgroups cgroups, Tree tree, Reservation r, int cpus, MemoryProtection memory) {
        return List.of(cpu(cgroups, tree, r, cpus), memory(cgroups, tree, memory));
    }

    /**
     * Weights in either mode: in partitioned mode they still decide between the kernels on the CPUs they share. A
     * CPU the Engine reserves is taken from every other group, the Sovereign's included.
     */
    private static String cpu(Cgroups cgroups, Tree t, Reservation r, int cpus) {
        Set<String> controllers = cgroups.controllers();
        boolean weighted = controllers.contains("cpu");
        if (weighted) {
            t.engine().setCpuWeight(ENGINE_WEIGHT);
            t.services().setCpuWeight(SERVICES_WEIGHT);
            t.dak().setCpuWeight(DAK_WEIGHT);
            t.background().setCpuWeight(BACKGROUND_WEIGHT);
        }
        List<Integer> rest = new ArrayList<>();
        for (int cpu = 0; cpu < cpus; cpu++) {
            if (!r.engineCpus().contains(cpu)) {
                rest.add(cpu);
            }
        }
        String unpartitioned = r.mode() == Mode.SHARED ? "shared mode"
                : !controllers.contains("cpuset") ? "partitioned mode, but no cpuset controller"
                : rest.isEmpty() ? "partitioned mode, but the Engine's CPUs are all there are" : null;
        if (unpartitioned != null) {
            return weighted ? WEIGHTS + " (" + unpartitioned + ": no CPU is the Engine's alone)"
                    : "no CPU carving (no cpu controller; " + unpartitioned + ")";
        }
        String own = CpuList.format(r.engineCpus());
        String others = CpuList.format(rest);
        for (Cgroup g : List.of(t.sovereign(), t.services(), t.dak(), t.background())) {
            g.setCpus(others);
        }
        t.engine().setCpus(own);
        Optional<String> refused = t.engine().claimCpus();
        String exclusive = refused.map(why -> "NOT exclusive: " + why).orElse(cgroups.version().equals("v2")
                ? "exclusive: a partition root" : "exclusive among cpusets (cpuset.cpu_exclusive); processes outside "
                + "Atomic's groups may still run there");
        return "Engine alone on CPU " + own + " (" + exclusive + "), the rest on CPU " + others
                + (weighted ? "; " + WEIGHTS : "");
    }

    /**
     * v2: memory.min for the Engines and the bridges, and up the tree, since a group is protected only within what
     * its parent is. v1: the kernels' soft limits at 0.
     */
    private static String memory(Cgroups cgroups, Tree t, MemoryProtection p) {
        if (!cgroups.controllers().contains("memory")) {
            return "memory NOT protected (no memory controller)";
        }
        try {
            if (cgroups.version().equals("v2")) {
                t.instance().setMemoryMin(p.instanceMin());
                t.instance().setMemoryLow(p.engineLow());
                t.engine().setMemoryMin(p.engineMin());
                t.engine().setMemoryLow(p.engineLow());
                t.sovereign().setMemoryMin(p.bridges());
                return "memory.min: " + p.describe() + "; memory.low: Engines " + MemoryProtection.mib(p.engineLow());
            }
            t.services().setMemorySoftLimit(0);
            t.dak().setMemorySoftLimit(0);
            return "memory NOT protected (cgroup v1 has no memory.min): services and drivers & apps at soft limit 0, "
                    + "so host memory pressure reclaims them before the Engines and the Sovereign";
        } catch (CgroupException e) {
            return "memory NOT protected (" + e.getMessage() + ")";
        }
    }
}
