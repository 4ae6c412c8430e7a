package dev.atomic.auditor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reads the CPU topology from /sys (never from the model string) and RAM from /proc/meminfo. */
final class CpuReader {

    static final String SYS_CPU = "/sys/devices/system/cpu";
    private static final String SYS_NODE = "/sys/devices/system/node";

    private final HostView host;

    CpuReader(HostView host) {
        this.host = host;
    }

    /** The online CPUs; empty when neither /sys nor /proc/cpuinfo says. */
    List<Integer> onlineCpus() {
        Optional<List<Integer>> online = host.read(SYS_CPU + "/online").map(CpuList::parse);
        if (online.isPresent() && !online.get().isEmpty()) {
            return online.get();
        }
        return cpuinfoValues("processor").stream().map(Integer::parseInt).sorted().toList();
    }

    Cpu read() {
        List<Integer> online = onlineCpus();
        // With no topology at all the Auditor still plans for the one CPU it is running on.
        List<Integer> cpus = online.isEmpty() ? List.of(0) : online;
        Map<String, List<Integer>> cores = new LinkedHashMap<>();
        TreeSet<String> packages = new TreeSet<>();
        for (int cpu : cpus) {
            String topology = SYS_CPU + "/cpu" + cpu + "/topology/";
            String pkg = value(topology + "physical_package_id").orElse("0");
            // A CPU without topology files counts as a core of its own.
            String core = value(topology + "core_id").orElse("cpu" + cpu);
            packages.add(pkg);
            cores.computeIfAbsent(pkg + "/" + core, k -> new ArrayList<>()).add(cpu);
        }
        List<List<Integer>> coreCpus = cores.values().stream()
                .sorted(Comparator.comparing(List::getFirst)).map(List::copyOf).toList();
        int threadsPerCore = coreCpus.stream().mapToInt(List::size).max().orElse(1);
        List<Integer> efficiency = cpuList("/sys/devices/cpu_atom/cpus");
        List<Integer> performance = efficiency.isEmpty() ? List.of() : cpuList("/sys/devices/cpu_core/cpus");
        return new Cpu(model(), packages.size(), coreCpus.size(), cpus.size(), threadsPerCore, coreCpus,
                performance, efficiency, l3Domains(cpus), numaNodes());
    }

    /** MemTotal from /proc/meminfo in bytes; 0 when unknown. */
    long memoryBytes() {
        return host.read("/proc/meminfo").flatMap(text -> text.lines()
                        .filter(line -> line.startsWith("MemTotal:"))
                        .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
                        .findFirst())
                .orElse(0L);
    }

    /** The {@code flags} of the first processor in /proc/cpuinfo. */
    List<String> cpuFlags() {
        return cpuinfoValues("flags").stream().findFirst().map(f -> List.of(f.split("\\s+"))).orElse(List.of());
    }

    private String model() {
        return cpuinfoValues("model name").stream().findFirst().orElse("unknown");
    }

    /** Distinct sets of CPUs sharing a level-3 cache, found through each CPU's cache/index* entries. */
    private List<List<Integer>> l3Domains(List<Integer> cpus) {
        TreeSet<List<Integer>> domains = new TreeSet<>(Comparator.comparing(List::getFirst));
        for (int cpu : cpus) {
            String cache = SYS_CPU + "/cpu" + cpu + "/cache";
            for (String index : host.list(cache)) {
                if (value(cache + "/" + index + "/level").filter("3"::equals).isPresent()) {
                    List<Integer> shared = cpuList(cache + "/" + index + "/shared_cpu_list");
                    if (!shared.isEmpty()) {
                        domains.add(shared);
                    }
                }
            }
        }
        return List.copyOf(domains);
    }

    private List<List<Integer>> numaNodes() {
        TreeMap<Integer, List<Integer>> nodes = new TreeMap<>();
        for (String name : host.list(SYS_NODE)) {
            if (name.matches("node\\d+")) {
                List<Integer> cpus = cpuList(SYS_NODE + "/" + name + "/cpulist");
                if (!cpus.isEmpty()) { // memory-only nodes (CXL, HBM) have no CPUs to place an Engine on
                    nodes.put(Integer.parseInt(name.substring(4)), cpus);
                }
            }
        }
        return List.copyOf(nodes.values());
    }

    private List<Integer> cpuList(String path) {
        return host.read(path).map(CpuList::parse).orElse(List.of());
    }

    private Optional<String> value(String path) {
        return host.read(path).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Every value of one key in /proc/cpuinfo ("model name\t: AMD EPYC"), in order. */
    private List<String> cpuinfoValues(String key) {
        return host.read("/proc/cpuinfo").map(text -> text.lines()
                        .filter(line -> line.startsWith(key) && line.substring(key.length()).trim().startsWith(":"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .toList())
                .orElse(List.of());
    }
}
