package dev.atomic.component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The module layer of one Tier 1 component in a partition host. Its image (the class-path entries the Sovereign
 * names for it: jars or build directories) becomes one automatic module, {@code atomic.component.<id>}, in a layer
 * of its own over the boot layer, defined to a class loader of its own. So two components with a same-named class
 * each get theirs, a component sees no class of a neighbour's or of the host's beyond the ABI between them (the
 * SDK, the bridge, the system layer, Agrona: the host's, so that a {@link Component} is the same type on both sides)
 * and the JDK, and dropping the layer (with the component's threads) unloads it.
 * <p>
 * One module for all the entries, not one per jar: a class path may split a package across entries or hold a build
 * directory, neither of which the JDK's own module finder accepts; the first entry holding a file wins, as on a class
 * path.
 */
public final class ComponentLayer implements AutoCloseable {
    /** Packages the host shares with every component: they are the ABI between them. */
    private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "dev.atomic.component.",
            "dev.atomic.bridge.", "dev.atomic.system.", "org.agrona.");

    private final Module module;
    private final Image image;

    private ComponentLayer(Module module, Image image) {
        this.module = module;
        this.image = image;
    }

    /**
     * The layer of component {@code componentId}, from {@code entries}; {@code host} is the loader of the ABI.
     *
     * @throws IOException an entry cannot be read, or holds nothing a module can (its classes all in the unnamed
     *                     package, or all shared)
     */
    public static ComponentLayer of(String componentId, List<Path> entries, ClassLoader host) throws IOException {
        Image image = Image.open(moduleName(componentId), entries);
        try {
            Configuration cf = ModuleLayer.boot().configuration().resolve(new OneModule(image), ModuleFinder.of(),
                    Set.of(image.descriptor().name()));
            ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, new AbiOnly(componentId, host));
            return new ComponentLayer(layer.findModule(image.descriptor().name()).orElseThrow(), image);
        } catch (RuntimeException e) {
            image.close();
            throw new IOException("its image cannot be a module layer: " + e.getMessage(), e);
        }
    }

    /** {@code atomic.component.} and the id, its characters that a module name cannot hold made {@code _}. */
    static String moduleName(String componentId) {
        StringBuilder name = new StringBuilder("atomic.component.");
        for (String part : componentId.split("\\.", -1)) {
            StringBuilder p = new StringBuilder();
            part.codePoints().forEach(c -> p.appendCodePoint(Character.isJavaIdentifierPart(c) ? c : '_'));
            if (p.isEmpty() || !Character.isJavaIdentifierStart(p.codePointAt(0))) {
                p.insert(0, '_');
            }
            name.append(p).append('.');
        }
        return name.substring(0, name.length() - 1);
    }

    public Module module() {
        return module;
    }

    public ClassLoader loader() {
        return module.getClassLoader();
    }

    /** Closes its entries; a class the component has not loaded yet can no longer be. */
    @Override
    public void close() {
        image.close();
    }

    static boolean shared(String className) {
        return SHARED.stream().anyMatch(className::startsWith);
    }

    /** The parent of a component's loader: the ABI from the host, nothing else of the host's. */
    private static final class AbiOnly extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        AbiOnly(String componentId, ClassLoader host) {
            super("abi of " + componentId, host);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!shared(name)) {
                throw new ClassNotFoundException(name + " (a component sees of its host only the SDK's packages)");
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            return shared(name.replace('/', '.')) ? super.getResource(name) : null;
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return shared(name.replace('/', '.')) ? super.getResources(name) : Collections.emptyEnumeration();
        }
    }

    private record OneModule(Image image) implements ModuleFinder {
        @Override
        public Optional<ModuleReference> find(String name) {
            return name.equals(image.descriptor().name()) ? Optional.of(image) : Optional.empty();
        }

        @Override
        public Set<ModuleReference> findAll() {
            return Set.of(image);
        }
    }

    /** A component's class-path entries as one automatic module: jars opened once, directories read in place. */
    private static final class Image extends ModuleReference implements ModuleReader {
        private final List<JarFile> jars;
        private final List<Path> directories;
        private final List<Object> order;

        private Image(ModuleDescriptor descriptor, URI location, List<Object> order) {
            super(descriptor, location);
            this.order = order;
            this.jars = order.stream().filter(JarFile.class::isInstance).map(JarFile.class::cast).toList();
            this.directories = order.stream().filter(Path.class::isInstance).map(Path.class::cast).toList();
        }

        static Image open(String name, List<Path> entries) throws IOException {
            if (entries.isEmpty()) {
                throw new IOException("its image names no class-path entry");
            }
            List<Object> order = new ArrayList<>();
            Set<String> packages = new LinkedHashSet<>();
            try {
                for (Path entry : entries) {
                    if (Files.isDirectory(entry)) {
                        order.add(entry);
                        try (Stream<Path> files = Files.walk(entry)) {
                            files.map(f -> entry.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                                    .forEach(f -> packageOf(f).ifPresent(packages::add));
                        }
                    } else {
                        JarFile jar = new JarFile(entry.toFile(), false, ZipFile.OPEN_READ, Runtime.version());
                        order.add(jar);
                        jar.versionedStream().forEach(e -> packageOf(e.getName()).ifPresent(packages::add));
                    }
                }
                Set<String> boot = new java.util.HashSet<>();
                ModuleLayer.boot().modules().forEach(m -> boot.addAll(m.getPackages()));
                packages.removeIf(p -> shared(p + ".") || boot.contains(p));
                if (packages.isEmpty()) {
                    throw new IOException("its image " + entries + " holds no class outside the SDK and the unnamed "
                            + "package");
                }
            } catch (IOException | RuntimeException e) {
                order.stream().filter(JarFile.class::isInstance).forEach(j -> closeJar((JarFile) j));
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            return new Image(ModuleDescriptor.newAutomaticModule(name).packages(packages).build(),
                    entries.getFirst().toUri(), order);
        }

        /** The package of a class file, if a module may hold it: not in the unnamed package, nor in META-INF. */
        private static Optional<String> packageOf(String file) {
            int slash = file.lastIndexOf('/');
            if (!file.endsWith(".class") || slash <= 0 || file.startsWith("META-INF/")) {
                return Optional.empty();
            }
            String pkg = file.substring(0, slash).replace('/', '.');
            for (String part : pkg.split("\\.", -1)) {
                if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))
                        || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
                    return Optional.empty();
                }
            }
            return Optional.of(pkg);
        }

        @Override
        public ModuleReader open() {
            return this;
        }

        @Override
        public Optional<URI> find(String name) {
            return locate(name).map(Hit::uri);
        }

        @Override
        public Optional<InputStream> open(String name) throws IOException {
            Optional<Hit> hit = locate(name);
            return hit.isEmpty() ? Optional.empty() : Optional.of(hit.get().stream());
        }

        /** Where {@code name} is: in the first entry that holds it, as on a class path. */
        private Optional<Hit> locate(String name) {
            for (Object entry : order) {
                if (entry instanceof JarFile jar) {
                    JarEntry e = jar.getJarEntry(name);
                    if (e != null) {
                        return Optional.of(new Hit(jar, e, null));
                    }
                } else if (entry instanceof Path dir) {
                    Path file = dir.resolve(name).normalize();
                    if (file.startsWith(dir) && Files.isRegularFile(file)) {
                        return Optional.of(new Hit(null, null, file));
                    }
                }
            }
            return Optional.empty();
        }

        private record Hit(JarFile jar, JarEntry entry, Path file) {
            URI uri() {
                return file != null ? file.toUri()
                        : URI.create("jar:" + Path.of(jar.getName()).toUri() + "!/" + entry.getName());
            }

            InputStream stream() throws IOException {
                return file != null ? Files.newInputStream(file) : jar.getInputStream(entry);
            }
        }

        @Override
        public Stream<String> list() throws IOException {
            Set<String> names = new LinkedHashSet<>();
            for (JarFile jar : jars) {
                jar.versionedStream().forEach(e -> names.add(e.getName()));
            }
            for (Path dir : directories) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> !f.equals(dir)).forEach(f -> names.add(dir.relativize(f).toString()
                            .replace(java.io.File.separatorChar, '/') + (Files.isDirectory(f) ? "/" : "")));
                }
            }
            return names.stream();
        }

        @Override
        public void close() {
            jars.forEach(Image::closeJar);
        }

        private static void closeJar(JarFile jar) {
            try {
                jar.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
