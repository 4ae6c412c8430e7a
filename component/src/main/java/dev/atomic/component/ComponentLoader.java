package dev.atomic.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * The class loader of one Tier 1 component in a partition host: its own classes first, from its own image, so that
 * two components with a same-named class each get theirs and neither sees the other's; the JDK and what crosses
 * between the component and its host (the SDK, the bridge, the system layer, Agrona) from the host, so that a
 * {@link Component} is the same type on both sides. Dropping the loader (and the component's threads) unloads it.
 */
public final class ComponentLoader extends URLClassLoader {
    /** Packages the host shares with every component: they are the ABI between them. */
    private static final List<String> SHARED = List.of("java.", "javax.", "jdk.", "sun.", "dev.atomic.component.",
            "dev.atomic.bridge.", "dev.atomic.system.", "org.agrona.");

    static {
        registerAsParallelCapable();
    }

    public ComponentLoader(String componentId, List<Path> image, ClassLoader host) {
        super("component " + componentId, urls(image), host);
    }

    private static URL[] urls(List<Path> image) {
        return image.stream().map(p -> {
            try {
                return p.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        }).toArray(URL[]::new);
    }

    static boolean shared(String className) {
        return SHARED.stream().anyMatch(className::startsWith);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notOwn) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public void close() {
        try {
            super.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
