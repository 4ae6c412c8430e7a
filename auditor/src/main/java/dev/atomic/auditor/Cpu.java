package dev.atomic.auditor;

import java.util.List;

/**
 * The host's processors as /sys shows them. CPU numbers are the kernel's logical CPU ids.
 *
 * @param model           {@code model name} from /proc/cpuinfo; reported, never used for decisions
 * @param cores           physical cores (distinct package and core id)
 * @param threadsPerCore  the most threads any core has (2 with SMT, 1 without)
 * @param coreCpus        the logical CPUs of each physical core, ordered by their first CPU
 * @param performanceCpus P-cores' CPUs on a hybrid CPU, empty otherwise
 * @param efficiencyCpus  E-cores' CPUs on a hybrid CPU, empty otherwise
 * @param l3Domains       CPUs sharing each L3 cache (one per chiplet/CCD), ordered by their first CPU
 * @param numaNodes       CPUs of each NUMA node, in node order
 */
public record Cpu(String model, int sockets, int cores, int logicalCpus, int threadsPerCore,
                  List<List<Integer>> coreCpus, List<Integer> performanceCpus, List<Integer> efficiencyCpus,
                  List<List<Integer>> l3Domains, List<List<Integer>> numaNodes) {

    public Cpu {
        coreCpus = copy(coreCpus);
        performanceCpus = List.copyOf(performanceCpus);
        efficiencyCpus = List.copyOf(efficiencyCpus);
        l3Domains = copy(l3Domains);
        numaNodes = copy(numaNodes);
    }

    public boolean hybrid() {
        return !efficiencyCpus.isEmpty();
    }

    /** Every logical CPU, ascending. */
    public List<Integer> cpus() {
        return coreCpus.stream().flatMap(List::stream).sorted().toList();
    }

    private static List<List<Integer>> copy(List<List<Integer>> lists) {
        return lists.stream().map(List::copyOf).toList();
    }
}
