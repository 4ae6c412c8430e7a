package dev.atomic.component;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the Sovereign needs to start a component and the Engine needs to route for it.
 *
 * @param provides      services it answers, with the newest interface version it implements
 * @param calls         services it may call, with the oldest version it accepts and the methods granted:
 *                      its capabilities; anything else is refused
 * @param rateBudget    frames per second it may send before the Engine throttles it, then cuts it off
 * @param cpuLimit      the CPU time it may use, in CPUs (0.5: half of one); 0 for no limit of its own
 * @param cpuWeight     its share of its kernel's CPU under contention, against the kernel's other components, in
 *                      cgroup v2 units: 1 to 10000, 0 for the default 100. Unlike a limit it never idles a CPU.
 *                      An input driver takes {@link #INPUT_WEIGHT}, so that a busy app beside it never delays it
 */
public record ComponentSpec(String id, Kernel kernel, String kind, String mainClass, List<ServiceRef> provides,
                            List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget,
                            double cpuLimit, int cpuWeight) {

    /** Ten times the default: an input driver's events wait for no other component of its kernel. */
    public static final int INPUT_WEIGHT = 1000;

    /** No CPU limit of its own (its kernel's still applies). */
    public ComponentSpec(String id, Kernel kernel, String kind, String mainClass, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget) {
        this(id, kernel, kind, mainClass, provides, calls, memoryMaxBytes, pidsMax, rateBudget, 0);
    }

    /** The default CPU weight. */
    public ComponentSpec(String id, Kernel kernel, String kind, String mainClass, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget,
                         double cpuLimit) {
        this(id, kernel, kind, mainClass, provides, calls, memoryMaxBytes, pidsMax, rateBudget, cpuLimit, 0);
    }

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public ComponentSpec {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("component id '" + id
                    + "' must be 1-40 characters of a-z, 0-9 and '-', starting with a letter");
        }
        provides = List.copyOf(provides);
        calls = List.copyOf(calls);
        if (cpuLimit < 0) {
            throw new IllegalArgumentException(id + ": a CPU limit is 0 (none) or a positive number of CPUs");
        }
        if (cpuWeight < 0 || cpuWeight > 10_000) {
            throw new IllegalArgumentException(id + ": a CPU weight is 1 to 10000, or 0 for the default (100)");
        }
        if (rateBudget < 1) {
            throw new IllegalArgumentException(id + ": rate budget must be at least 1 frame per second");
        }
    }

    /** This spec with another CPU weight. */
    public ComponentSpec withCpuWeight(int weight) {
        return new ComponentSpec(id, kernel, kind, mainClass, provides, calls, memoryMaxBytes, pidsMax, rateBudget,
                cpuLimit, weight);
    }

    /** The grant for a service, or null when it has none. */
    public ServiceRef grant(String service) {
        return calls.stream().filter(c -> c.name().equals(service)).findFirst().orElse(null);
    }

    public boolean provides(String service) {
        return provides.stream().anyMatch(p -> p.name().equals(service));
    }
}
