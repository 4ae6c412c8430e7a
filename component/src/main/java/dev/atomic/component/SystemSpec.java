package dev.atomic.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A system: the components Atomic boots. Service ids are positions in the sorted list of provided service
 * names, so the Sovereign, the Engine and every component derive the same ids from the same spec.
 */
public record SystemSpec(String name, List<ComponentSpec> components, List<PoolSpec> pools,
                         List<FastPathSpec> fastPaths) {

    private static final long MIB = 1024 * 1024;
    /** Frames per second a component may send by default: far above any honest use in the built-in systems. */
    public static final long DEFAULT_RATE = 200_000;

    public SystemSpec(String name, List<ComponentSpec> components) {
        this(name, components, List.of(), List.of());
    }

    public SystemSpec(String name, List<ComponentSpec> components, List<PoolSpec> pools) {
        this(name, components, pools, List.of());
    }

    public SystemSpec {
        components = List.copyOf(components);
        pools = List.copyOf(pools);
        fastPaths = List.copyOf(fastPaths);
        var ids = new TreeSet<String>();
        var services = new TreeSet<String>();
        for (ComponentSpec c : components) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("system '" + name + "': component id '" + c.id() + "' is used twice");
            }
            for (ServiceRef p : c.provides()) {
                String s = p.name();
                if (p.newest() != p.version() || !p.methods().isEmpty()) {
                    throw new IllegalArgumentException("system '" + name + "': " + c.id() + " provides '" + p
                            + "': a provider names one version, the newest it implements, and no methods");
                }
                if (!services.add(s)) {
                    throw new IllegalArgumentException("system '" + name + "': service '" + s
                            + "' is provided by two components");
                }
            }
        }
        for (ComponentSpec c : components) {
            for (ServiceRef call : c.calls()) {
                if (!services.contains(call.name())) {
                    throw new IllegalArgumentException("system '" + name + "': " + c.id() + " calls '" + call.name()
                            + "', which no component provides");
                }
            }
        }
        for (PoolSpec pool : pools) {
            ComponentSpec caller = components.stream().filter(c -> c.id().equals(pool.caller())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("system '" + name + "': a pool names caller '"
                            + pool.caller() + "', which is not a component"));
            if (caller.grant(pool.service()) == null) {
                throw new IllegalArgumentException("system '" + name + "': " + pool.caller() + " has a pool for '"
                        + pool.service() + "' but no grant to call it");
            }
        }
        for (FastPathSpec fast : fastPaths) {
            boolean granted = components.stream().anyMatch(c -> c.id().equals(fast.caller())
                    && c.grant(fast.service()) != null);
            if (!granted) {
                throw new IllegalArgumentException("system '" + name + "': a fast path from " + fast.caller()
                        + " to '" + fast.service() + "' needs a component " + fast.caller() + " granted that service");
            }
        }
    }

    /** A system Atomic ships, or one a {@link SystemProvider} on the class path supplies. */
    public static SystemSpec builtIn(String name) {
        Optional<SystemProvider> provider = providerOf(name);
        if (provider.isPresent()) {
            return provider.get().system(name).orElseThrow();
        }
        return switch (name) {
            case "default" -> new SystemSpec("default", List.of(
                    new ComponentSpec("echo", Kernel.SERVICES, "service", "dev.atomic.demo.EchoService",
                            refs("echo@1"), refs(), 192 * MIB, 64, DEFAULT_RATE),
                    new ComponentSpec("demo-app", Kernel.DAK, "app", "dev.atomic.demo.DemoApp",
                            refs(), refs("echo@1#1"), 192 * MIB, 64, DEFAULT_RATE)),
                    List.of(new PoolSpec("demo-app", "echo", 8, 64 * 1024)));
            default -> throw new IllegalArgumentException("no built-in system named '" + name + "' (known: default)");
        };
    }

    /**
     * The class whose code defines a system: the Engine, which reads the system by name, needs it on its class path.
     */
    public static Class<?> definedBy(String name) {
        return providerOf(name).<Class<?>>map(Object::getClass).orElse(SystemSpec.class);
    }

    private static Optional<SystemProvider> providerOf(String name) {
        if (name.equals("default")) {
            return Optional.empty();
        }
        for (SystemProvider provider : java.util.ServiceLoader.load(SystemProvider.class)) {
            if (provider.system(name).isPresent()) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    /** Service references from their text form, e.g. {@code refs("echo@1#1")}. */
    public static List<ServiceRef> refs(String... refs) {
        return java.util.Arrays.stream(refs).map(ServiceRef::parse).toList();
    }

    public Optional<ComponentSpec> component(String id) {
        return components.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Every provided service, sorted: the index is the service id. */
    public List<String> services() {
        var all = new TreeSet<String>();
        components.forEach(c -> c.provides().forEach(p -> all.add(p.name())));
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
