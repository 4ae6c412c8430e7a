package dev.atomic.bench;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.SystemSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The boot benchmark's baseline: the default system's components as plain JVMs, the way systemd would start them as
 * one unit each ({@code Type=notify}, one after the other in the order of their calls): no Vault, no measurement,
 * no cgroups of Atomic's, no sandbox, no Engine, no bridges. Each JVM loads and initialises its component's class,
 * makes an instance of it (none of its code beyond its constructor can run without a host), and says it is ready.
 */
final class PlainStart {
    static final String ROLE = "plain";

    private PlainStart() {
    }

    /** The components a boot starts (not those on demand), providers before their callers. */
    static List<ComponentSpec> units(SystemSpec system) {
        List<ComponentSpec> left = new ArrayList<>(system.components().stream()
                .filter(c -> !c.activation().onDemand()).toList());
        List<ComponentSpec> ordered = new ArrayList<>();
        while (!left.isEmpty()) {
            Set<String> provided = left.stream().flatMap(c -> c.provides().stream()).map(s -> s.name())
                    .collect(Collectors.toSet());
            ComponentSpec next = left.stream().filter(c -> c.calls().stream().noneMatch(s -> provided.contains(s.name())
                    && c.provides().stream().noneMatch(p -> p.name().equals(s.name())))).findFirst()
                    .orElse(left.getFirst()); // a cycle of calls: systemd would start them in file order
            ordered.add(next);
            left.remove(next);
        }
        return ordered;
    }

    /** The unit's process: loads, initialises and instantiates {@code className}, says READY, then idles. */
    static void run(String className) throws Exception {
        Object component = Class.forName(className, true, PlainStart.class.getClassLoader())
                .getDeclaredConstructor().newInstance();
        System.out.println(BenchChild.READY + component.getClass().getSimpleName());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
