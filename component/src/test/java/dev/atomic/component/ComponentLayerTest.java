package dev.atomic.component;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tier 1 components' module layers, from images compiled here: two with a class named t.Shared each get theirs, and
 * neither sees its host's classes beyond the SDK.
 */
class ComponentLayerTest {
    @TempDir
    Path dir;

    /** Compiles {@code name, source, …} (in package {@code pkg}) into a directory of its own. */
    private Path image(String name, String pkg, String... sources) throws Exception {
        Path src = Files.createDirectories(dir.resolve(name + "-src"));
        Path out = Files.createDirectories(dir.resolve(name));
        List<String> args = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), "-d", out.toString()));
        for (int i = 0; i < sources.length; i += 2) {
            Path file = src.resolve(sources[i] + ".java");
            Files.writeString(file, (pkg.isEmpty() ? "" : "package " + pkg + "; ") + sources[i + 1]);
            args.add(file.toString());
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)));
        return out;
    }

    private static Path jar(Path classes) throws IOException {
        Path jar = classes.resolveSibling(classes.getFileName() + ".jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String who(ClassLoader loader) throws Exception {
        return (String) loader.loadClass("t.Shared").getMethod("who").invoke(null);
    }

    @Test
    void eachComponentIsAModuleOfItsOwnLayerSeeingOfItsHostOnlyTheSdk() throws Exception {
        Path host = image("host", "t", "Shared", "public class Shared { public static String who() { return \"host\"; } }",
                "OnlyHost", "public class OnlyHost { }");
        Path a = image("a", "t", "Shared", "public class Shared { public static String who() { return \"a \" + "
                + "java.util.List.of(dev.atomic.component.Component.class.getSimpleName()); } }");
        Path b = image("b", "t", "Shared", "public class Shared { public static String who() { return \"b\"; } }",
                "OnlyB", "public class OnlyB { }");
        try (var hostLoader = new URLClassLoader(new java.net.URL[]{host.toUri().toURL()},
                     ComponentLayerTest.class.getClassLoader());
             var first = ComponentLayer.of("a", List.of(a), hostLoader);
             var second = ComponentLayer.of("b.two-x", List.of(jar(b)), hostLoader)) {
            assertEquals("host", who(hostLoader));
            assertEquals("a [Component]", who(first.loader()), "its own class, the JDK's and the SDK's");
            assertEquals("b", who(second.loader()), "from a jar too");
            Class<?> shared = first.loader().loadClass("t.Shared");
            assertNotSame(shared, second.loader().loadClass("t.Shared"));
            assertSame(first.module(), shared.getModule());
            assertEquals("atomic.component.a", first.module().getName());
            assertEquals("atomic.component.b.two_x", second.module().getName());
            assertTrue(first.module().getDescriptor().isAutomatic());
            assertNotSame(ModuleLayer.boot(), first.module().getLayer());
            assertNotSame(first.module().getLayer(), second.module().getLayer());
            assertThrows(ClassNotFoundException.class, () -> first.loader().loadClass("t.OnlyB"), "a neighbour's");
            assertThrows(ClassNotFoundException.class, () -> first.loader().loadClass("t.OnlyHost"), "the host's");
            assertThrows(ClassNotFoundException.class,
                    () -> first.loader().loadClass(Test.class.getName()), "the host's class path");
            assertSame(Component.class, first.loader().loadClass(Component.class.getName()), "the SDK is the host's");
            assertSame(Component.class, second.loader().loadClass(Component.class.getName()));
        }
    }

    @Test
    void aPackageSplitAcrossEntriesIsOneModuleAndTheFirstEntryWins() throws Exception {
        Path first = image("first", "t", "Shared", "public class Shared { public static String who() { return \"1\"; } }");
        Path second = image("second", "t", "Shared", "public class Shared { public static String who() { return \"2\"; } }",
                "Other", "public class Other { }");
        try (var layer = ComponentLayer.of("split", List.of(jar(first), second), getClass().getClassLoader())) {
            assertEquals("1", who(layer.loader()));
            assertSame(layer.module(), layer.loader().loadClass("t.Other").getModule());
        }
    }

    @Test
    void anImageAModuleCannotHoldIsRefusedSayingWhy() throws Exception {
        Path unnamed = image("unnamed", "", "Top", "public class Top { }");
        IOException e = assertThrows(IOException.class,
                () -> ComponentLayer.of("top", List.of(unnamed), getClass().getClassLoader()));
        assertTrue(e.getMessage().contains("holds no class outside the SDK and the unnamed package"), e.getMessage());
        IOException none = assertThrows(IOException.class,
                () -> ComponentLayer.of("none", List.of(dir.resolve("missing.jar")), getClass().getClassLoader()));
        assertTrue(none.getMessage().contains("missing.jar"), none.getMessage());
    }
}
