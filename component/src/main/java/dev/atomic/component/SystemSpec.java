package dev.atomic.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A system: the components Atomic boots. Service ids are positions in the sorted list of provided service
 * names, so the Sovereign, the Engine and every component derive the same ids from the same spec.
 */
public record SystemSpec(String name, List<ComponentSpec> components) {

    private static final long MIB = 1024 * 1024;

    public SystemSpec {
        components = List.copyOf(components);
        var ids = new TreeSet<String>();
        var services = new TreeSet<String>();
        for (ComponentSpec c : components) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("system '" + name + "': component id '" + c.id() + "' is used twice");
            }
            for (String s : c.provides()) {
                if (!services.add(s)) {
                    throw new IllegalArgumentException("system '" + name + "': service '" + s
                            + "' is provided by two components");
                }
            }
        }
        for (ComponentSpec c : components) {
            for (String s : c.calls()) {
                if (!services.contains(s)) {
                    throw new IllegalArgumentException("system '" + name + "': " + c.id() + " calls '" + s
                            + "', which no component provides");
                }
            }
        }
    }

    /** The systems Atomic ships. Manifests on disk replace this in a later release. */
    public static SystemSpec builtIn(String name) {
        return switch (name) {
            case "default" -> new SystemSpec("default", List.of(
                    new ComponentSpec("echo", Kernel.SERVICES, "service", "dev.atomic.demo.EchoService",
                            List.of("echo"), List.of(), 192 * MIB, 64),
                    new ComponentSpec("demo-app", Kernel.DAK, "app", "dev.atomic.demo.DemoApp",
                            List.of(), List.of("echo"), 192 * MIB, 64)));
            default -> throw new IllegalArgumentException("no built-in system named '" + name + "' (known: default)");
        };
    }

    public Optional<ComponentSpec> component(String id) {
        return components.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Every provided service, sorted: the index is the service id. */
    public List<String> services() {
        var all = new TreeSet<String>();
        components.forEach(c -> all.addAll(c.provides()));
        return new ArrayList<>(all);
    }

    public int serviceId(String service) {
        int id = services().indexOf(service);
        if (id < 0) {
            throw new IllegalArgumentException("no service named '" + service + "'");
        }
        return id;
    }
}
