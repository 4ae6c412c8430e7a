package dev.atomic.component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A system: the components Atomic boots. Service ids are positions in the sorted list of provided service
 * names, so the Sovereign, the Engine and every component derive the same ids from the same spec.
 */
public record SystemSpec(String name, List<ComponentSpec> components, List<PoolSpec> pools,
                         List<FastPathSpec> fastPaths) {

    /** The built-in default system's manifests, resources beside this class. */
    private static final List<String> DEFAULT_MANIFESTS = List.of("echo.toml", "console.toml", "digest.toml",
            "fs.toml", "input.toml", "sensor.toml", "demo-app.toml");
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
            for (String other : c.observe()) {
                if (!other.equals(ComponentSpec.OBSERVE_ALL) && !ids.contains(other)) {
                    throw new IllegalArgumentException("system '" + name + "': " + c.id() + " observes '" + other
                            + "', which is not a component");
                }
            }
            for (String other : c.inject()) {
                if (!other.equals(ComponentSpec.OBSERVE_ALL) && !ids.contains(other)) {
                    throw new IllegalArgumentException("system '" + name + "': " + c.id() + " may inject faults into '"
                            + other + "', which is not a component");
                }
            }
            for (String driver : c.sandbox().mounts()) {
                boolean mounts = components.stream().anyMatch(d -> d.id().equals(driver)
                        && !d.sandbox().fuseMount().isEmpty());
                if (!mounts || driver.equals(c.id())) {
                    throw new IllegalArgumentException("system '" + name + "': " + c.id() + " uses the FUSE mount of '"
                            + driver + "', which is not " + (driver.equals(c.id()) ? "another component"
                            : "a driver with a FUSE mount ([sandbox] fuse-mount)"));
                }
            }
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
            components.stream().filter(c -> c.provides(fast.service()) && c.activation().onDemand()).findFirst()
                    .ifPresent(c -> {
                        // Calls on a fast path bypass the Engine, which would freeze the service in mid-use.
                        throw new IllegalArgumentException("system '" + name + "': no fast path to '" + fast.service()
                                + "': " + c.id() + " starts on demand, and the Engine must see every call to it to "
                                + "start, thaw and keep it awake");
                    });
        }
        Partition.check(name, components, pools, fastPaths);
    }

    /** A system Atomic ships, or one a {@link SystemProvider} on the class path supplies. */
    public static SystemSpec builtIn(String name) {
        Optional<SystemProvider> provider = providerOf(name);
        if (provider.isPresent()) {
            return provider.get().system(name).orElseThrow();
        }
        if (!name.equals("default")) {
            throw new IllegalArgumentException("no built-in system named '" + name + "' (known: default)");
        }
        Map<String, Manifest> manifests = new LinkedHashMap<>();
        for (String file : DEFAULT_MANIFESTS) {
            try (InputStream in = SystemSpec.class.getResourceAsStream("systems/default/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("the built-in manifest " + file + " is missing from the class path");
                }
                manifests.put(file, Manifest.parse(file, in.readNBytes(Manifest.MAX_BYTES + 1), null));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the built-in manifest " + file, e);
            }
        }
        return of(name, manifests, List.of());
    }

    /**
     * A system by reference, as processes pass it on their command lines: a built-in system's name, or the absolute
     * path of a directory of manifests (a deployed release's copy, docs/manifest.md).
     */
    public static SystemSpec load(String reference) {
        if (!isDirectory(reference)) {
            return builtIn(reference);
        }
        try {
            return fromDirectory(Path.of(reference));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the system " + reference, e);
        }
    }

    /** Whether a reference names a directory of manifests rather than a built-in system: it holds a '/'. */
    public static boolean isDirectory(String reference) {
        return reference.indexOf('/') >= 0;
    }

    /**
     * A system from a directory of manifests (docs/manifest.md), one per component, each named {@code <id>.toml};
     * the system is named after the directory. Every error of every manifest is reported at once.
     */
    public static SystemSpec fromDirectory(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.filter(p -> p.getFileName().toString().endsWith(".toml") && Files.isRegularFile(p))
                    .sorted().toList();
        }
        String name = directory.toAbsolutePath().normalize().getFileName().toString();
        if (files.isEmpty()) {
            throw new ManifestException(List.of(directory + ": no manifests (<id>.toml) in the directory"));
        }
        Map<String, Manifest> manifests = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            try {
                manifests.put(file.getFileName().toString(), Manifest.read(file));
            } catch (ManifestException e) {
                errors.addAll(e.errors());
            }
        }
        return of(name, manifests, errors);
    }

    /**
     * A system from its manifests by file name; services kernel first, then drivers & apps, each by id, so that one
     * set of manifests always gives the same slots.
     */
    private static SystemSpec of(String name, Map<String, Manifest> manifests, List<String> earlier) {
        List<String> errors = new ArrayList<>(earlier);
        // Plain loops: every Atomic process reads its system at start, where each lambda costs a class spun.
        Map<Kernel, java.util.TreeMap<String, Manifest>> byKernel = new java.util.EnumMap<>(Kernel.class);
        for (Map.Entry<String, Manifest> e : manifests.entrySet()) {
            ComponentSpec c = e.getValue().component();
            if (!e.getKey().equals(c.id() + ".toml")) {
                errors.add(e.getKey() + ": its component is '" + c.id() + "': a manifest is named <id>.toml");
            }
            byKernel.putIfAbsent(c.kernel(), new java.util.TreeMap<>());
            byKernel.get(c.kernel()).put(c.id(), e.getValue());
        }
        if (!errors.isEmpty()) {
            throw new ManifestException(errors);
        }
        List<ComponentSpec> components = new ArrayList<>();
        List<PoolSpec> pools = new ArrayList<>();
        for (java.util.TreeMap<String, Manifest> kernel : byKernel.values()) {
            for (Manifest m : kernel.values()) {
                components.add(m.component());
                pools.addAll(m.pools());
            }
        }
        try {
            return new SystemSpec(name, components, pools);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(List.of(e.getMessage()));
        }
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
