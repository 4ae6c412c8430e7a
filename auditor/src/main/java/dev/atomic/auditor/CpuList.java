package dev.atomic.auditor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The kernel's CPU list format ({@code "0-7,16-23"}), as in cpulist, online and shared_cpu_list files. */
public final class CpuList {

    private CpuList() {
    }

    /** CPUs in ascending order, without duplicates; blank text is the empty list. */
    public static List<Integer> parse(String text) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : text.trim().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int dash = part.indexOf('-');
            int first = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
            int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1).trim());
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        return List.copyOf(cpus);
    }

    /** The inverse of {@link #parse}: ranges of consecutive CPUs joined ({@code [0,1,2,5] -> "0-2,5"}). */
    public static String format(Collection<Integer> cpus) {
        List<Integer> sorted = List.copyOf(new TreeSet<>(cpus));
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            ranges.add(i == j ? sorted.get(i).toString() : sorted.get(i) + "-" + sorted.get(j));
            i = j + 1;
        }
        return String.join(",", ranges);
    }
}
