package dev.atomic.component;

import java.util.ArrayList;
import java.util.List;

/**
 * Tier 1: the components of one kernel with {@code tier = 1} run together in that kernel's partition host process
 * ({@link PartitionHost}), each in a module layer of its own ({@link ComponentLayer}). Tier 1 is trusted code: the partition host is in its
 * own cgroup but not sandboxed, so a Tier 1 component's {@code [sandbox]} grants are not enforced; the system spec
 * refuses Tier 1 components of one kernel whose grants differ, so that no component is promised a view it does not
 * get, and Tier 1 components with pools, fast paths or on-demand activation (which would need segments the
 * partition does not inherit, or would freeze the neighbours too).
 */
public final class Partition {
    /** Set for a partition host: it reads its orders (slots to load) on its standard input. */
    public static final String ORDERS_ENV = "ATOMIC_PARTITION_ORDERS";

    private Partition() {
    }

    /** The partition host's name: its cgroup's, its log's, its state directory's. */
    public static String id(Kernel kernel) {
        return "partition-" + kernel.word();
    }

    /** The slots of {@code kernel}'s Tier 1 components, in the system's order: the partition host's lane segments. */
    public static List<Integer> slots(SystemSpec system, Kernel kernel) {
        List<Integer> slots = new ArrayList<>();
        for (int slot = 0; slot < system.components().size(); slot++) {
            ComponentSpec c = system.components().get(slot);
            if (c.tier() == 1 && c.kernel() == kernel) {
                slots.add(slot);
            }
        }
        return slots;
    }

    static void check(String system, List<ComponentSpec> components, List<PoolSpec> pools,
                      List<FastPathSpec> fastPaths) {
        for (ComponentSpec c : components) {
            if (c.tier() != 1) {
                continue;
            }
            String problem = c.activation().onDemand() ? "it starts on demand, and freezing it would freeze its partition"
                    : pools.stream().anyMatch(p -> p.caller().equals(c.id()) || c.provides(p.service()))
                    ? "it has a buffer pool, which a partition host does not map"
                    : fastPaths.stream().anyMatch(f -> f.caller().equals(c.id()) || c.provides(f.service()))
                    ? "it has a fast path, which a partition host does not map" : null;
            if (problem == null) {
                problem = components.stream().filter(o -> o.tier() == 1 && o.kernel() == c.kernel()
                                && !o.sandbox().equals(c.sandbox())).findFirst()
                        .map(o -> "its [sandbox] grants differ from " + o.id() + "'s, which shares its partition host")
                        .orElse(null);
            }
            if (problem != null) {
                throw new IllegalArgumentException("system '" + system + "': " + c.id() + " cannot be Tier 1: "
                        + problem);
            }
        }
    }
}
