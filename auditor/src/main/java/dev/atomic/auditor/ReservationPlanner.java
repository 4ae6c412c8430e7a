package dev.atomic.auditor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Picks the profile and the Engine's reservation from the topology (never from the CPU model), following the table
 * in README.md.
 */
final class ReservationPlanner {

    /** The CPUs and bridge a profile asks for, each with its reason. */
    private record Ask(List<Integer> cpus, String threadsReason, String cpusReason, long bridge,
                       String bridgeReason) {
    }

    /** The reservation, and the sentence for "not enforced" when the Engine ends up sharing its CPUs. */
    record Plan(Reservation reservation, Optional<String> notEnforced) {
    }

    private ReservationPlanner() {
    }

    static Plan plan(Cpu cpu, long memory, Features features) {
        Profile profile = profile(cpu, memory);
        Ask ask = switch (profile) {
            case DOMINANCE -> dominance(cpu, memory);
            case LATENCY -> latency(cpu, features);
            case FULL -> full(cpu);
            case LEAN -> lean(cpu, memory);
        };
        String profileReason = "Profile " + profile.label() + ": " + profileCause(profile, cpu, memory) + ".";

        Optional<String> sharedCause = sharedCause(profile, cpu, memory, features, ask.cpus().size());
        Mode mode = sharedCause.isPresent() ? Mode.SHARED : Mode.PARTITIONED;
        String modeReason = sharedCause
                .map(cause -> "Shared mode: " + cause + (ask.cpus().size() == 1
                        ? ", so the Engine's CPU is a preference, not exclusive."
                        : ", so the Engine's CPUs are a preference, not exclusive."))
                .orElse("Partitioned mode: the cpuset controller makes the Engine's CPUs exclusive ("
                        + (features.cpusetPartitions() ? "a v2 partition root" : "cpuset.cpu_exclusive")
                        + ") and " + (cpu.logicalCpus() - ask.cpus().size()) + " CPUs remain for components.");
        Optional<String> notEnforced = sharedCause.map(cause -> capitalised(cause)
                + (ask.cpus().size() == 1
                ? ": the Engine shares its CPU with components (shared mode); it is not reserved."
                : ": the Engine shares its CPUs with components (shared mode); they are not reserved."));

        Reservation reservation = new Reservation(profile, mode, ask.cpus().size(), ask.cpus(), ask.bridge(),
                List.of(profileReason, modeReason, ask.threadsReason(), ask.cpusReason(), ask.bridgeReason()));
        return new Plan(reservation, notEnforced);
    }

    /** MemTotal is what is left after firmware and kernel take their share: a 16 GB machine shows about 15.5 GiB. */
    static boolean atLeastGib(long memory, int gib) {
        return memory >= gib * Bytes.GIB / 16 * 15;
    }

    private static Profile profile(Cpu cpu, long memory) {
        if (cpu.numaNodes().size() >= 2 || (cpu.logicalCpus() >= 64 && atLeastGib(memory, 64))) {
            return Profile.DOMINANCE;
        }
        if (cpu.sockets() == 1 && cpu.l3Domains().size() >= 2) {
            return Profile.LATENCY;
        }
        if (cpu.efficiencyCpus().size() >= 4 || (cpu.cores() >= 8 && atLeastGib(memory, 16))) {
            return Profile.FULL;
        }
        return Profile.LEAN;
    }

    private static String profileCause(Profile profile, Cpu cpu, long memory) {
        return switch (profile) {
            case DOMINANCE -> cpu.numaNodes().size() >= 2
                    ? cpu.numaNodes().size() + " NUMA nodes, so the Engine keeps threads on every node and no node"
                    + " reaches it across the interconnect"
                    : cpu.logicalCpus() + " logical CPUs and " + Bytes.format(memory) + " RAM are server class";
            case LATENCY -> "one socket with " + cpu.l3Domains().size() + " L3 domains (chiplets), so the Engine"
                    + " keeps to one domain and its cache lines never cross between chiplets";
            case FULL -> cpu.efficiencyCpus().size() >= 4
                    ? "hybrid CPU with " + cpu.efficiencyCpus().size() + " E-cores ("
                    + CpuList.format(cpu.efficiencyCpus()) + "), so the Engine takes E-cores and leaves the"
                    + " P-cores to applications"
                    : cpu.cores() + " cores and " + Bytes.format(memory) + " RAM leave room to reserve cores for"
                    + " the Engine";
            case LEAN -> smallHost(cpu, memory) + ", so the Engine takes one thread and isolation is by"
                    + " software alone";
        };
    }

    /** Why a host is lean, e.g. "only 4 cores (8 CPUs) and 7.6 GiB RAM". */
    private static String smallHost(Cpu cpu, long memory) {
        List<String> parts = new ArrayList<>();
        if (cpu.cores() < 8) {
            parts.add(cpu.cores() == cpu.logicalCpus() ? plural(cpu.logicalCpus(), "CPU")
                    : plural(cpu.cores(), "core") + " (" + plural(cpu.logicalCpus(), "CPU") + ")");
        }
        if (memory == 0) {
            parts.add("RAM of unknown size");
        } else if (!atLeastGib(memory, 16)) {
            parts.add(Bytes.format(memory) + " RAM");
        }
        return "only " + String.join(" and ", parts);
    }

    private static Ask dominance(Cpu cpu, long memory) {
        int threads = cpu.logicalCpus() >= 96 ? 12 : 8;
        List<List<Integer>> nodes = cpu.numaNodes().isEmpty() ? List.of(cpu.cpus()) : cpu.numaNodes();
        List<Integer> cpus = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            int quota = threads / nodes.size() + (i < threads % nodes.size() ? 1 : 0);
            cpus.addAll(lastCores(cpu, nodes.get(i), quota));
        }
        long bridge = Math.min(4 * Bytes.GIB, memory / 32 / Bytes.MIB * Bytes.MIB);
        return new Ask(cpus,
                threads + " engine threads: dominance reserves 8, and 12 from 96 logical CPUs up.",
                cpusNamed(cpus) + ": spread evenly over " + plural(nodes.size(), "NUMA node")
                        + ", the highest-numbered cores of each with their SMT siblings.",
                bridge, "Memory bridge " + Bytes.format(bridge) + ": RAM/32, at most 4 GiB.");
    }

    private static Ask latency(Cpu cpu, Features features) {
        List<Integer> domain = cpu.l3Domains().getLast();
        List<Integer> cpus = lastCores(cpu, domain, 4);
        return new Ask(cpus, "4 engine threads: two for requests and two for deliveries.",
                cpusNamed(cpus) + ": the last cores of the last L3 domain (" + CpuList.format(domain)
                        + ") with their SMT siblings, so the Engine shares a cache with no other chiplet"
                        + (features.resctrlCacheAllocation() ? "; resctrl can also give it its own share of that L3."
                        : "."),
                Bytes.GIB, "Memory bridge 1 GiB: the latency profile's size.");
    }

    private static Ask full(Cpu cpu) {
        boolean hybrid = cpu.efficiencyCpus().size() >= 4;
        List<Integer> cpus = lastCores(cpu, hybrid ? cpu.efficiencyCpus() : cpu.cpus(), 4);
        return new Ask(cpus, "4 engine threads: two for requests and two for deliveries.",
                cpusNamed(cpus) + (hybrid ? ": the last 4 E-cores."
                        : ": the highest-numbered cores with their SMT siblings."),
                Bytes.GIB, "Memory bridge 1 GiB: the full profile's size.");
    }

    private static Ask lean(Cpu cpu, long memory) {
        List<Integer> cpus = List.of(cpu.cpus().getLast());
        boolean small = !atLeastGib(memory, 4);
        long bridge = small ? 128 * Bytes.MIB : 256 * Bytes.MIB;
        String why = memory == 0 ? "RAM of unknown size gets the smallest bridge."
                : small ? "RAM is under 4 GiB." : "the lean profile's size.";
        return new Ask(cpus, "1 engine thread: the lean profile leaves every other CPU to components.",
                cpusNamed(cpus) + ": the highest-numbered CPU, where the Engine prefers to run.",
                bridge, "Memory bridge " + Bytes.format(bridge) + ": " + why);
    }

    /** Why the Engine cannot have its CPUs to itself, if it cannot. */
    private static Optional<String> sharedCause(Profile profile, Cpu cpu, long memory, Features features,
                                                int reserved) {
        int remaining = cpu.logicalCpus() - reserved;
        if (profile == Profile.LEAN) {
            return Optional.of(smallHost(cpu, memory));
        }
        if (remaining < 2) {
            return Optional.of("only " + plural(remaining, "CPU") + " would remain for components");
        }
        if (!features.cpusetUsable()) {
            return Optional.of("no cpuset controller can make CPUs exclusive");
        }
        return Optional.empty();
    }

    /** The highest-numbered cores among {@code within}, whole (with SMT siblings) while {@code threads} allows. */
    private static List<Integer> lastCores(Cpu cpu, Collection<Integer> within, int threads) {
        HashSet<Integer> allowed = new HashSet<>(within);
        List<Integer> taken = new ArrayList<>();
        for (List<Integer> core : cpu.coreCpus().reversed()) {
            for (int c : core) {
                if (allowed.contains(c) && taken.size() < threads) {
                    taken.add(c);
                }
            }
        }
        return taken.stream().sorted().toList();
    }

    private static String cpusNamed(List<Integer> cpus) {
        return (cpus.size() == 1 ? "CPU " : "CPUs ") + CpuList.format(cpus);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
