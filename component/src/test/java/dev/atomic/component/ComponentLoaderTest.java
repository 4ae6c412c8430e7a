package dev.atomic.component;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Two Tier 1 components, compiled here, each with a class named t.Shared: neither sees the other's. */
class ComponentLoaderTest {
    @TempDir
    Path dir;

    private Path image(String name, String... sources) throws Exception {
        Path src = Files.createDirectories(dir.resolve(name + "-src/t"));
        Path out = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < sources.length; i += 2) {
            Files.writeString(src.resolve(sources[i] + ".java"), "package t; " + sources[i + 1]);
        }
        try (var files = Files.list(src)) {
            List<String> args = new java.util.ArrayList<>(List.of("-d", out.toString()));
            files.forEach(f -> args.add(f.toString()));
            assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)));
        }
        return out;
    }

    private static String who(ClassLoader loader) throws Exception {
        return (String) loader.loadClass("t.Shared").getMethod("who").invoke(null);
    }

    @Test
    void sameNamedClassesStaySeparateAndOnlyTheSdkIsShared() throws Exception {
        Path host = image("host", "Shared", "public class Shared { public static String who() { return \"host\"; } }");
        Path a = image("a", "Shared", "public class Shared { public static String who() { return \"a\"; } }");
        Path b = image("b", "Shared", "public class Shared { public static String who() { return \"b\"; } }",
                "OnlyB", "public class OnlyB { }");
        try (var hostLoader = new java.net.URLClassLoader(new java.net.URL[]{host.toUri().toURL()},
                     ComponentLoaderTest.class.getClassLoader());
             var first = new ComponentLoader("a", List.of(a), hostLoader);
             var second = new ComponentLoader("b", List.of(b), hostLoader)) {
            assertEquals("host", who(hostLoader));
            assertEquals("a", who(first), "its own class before the host's");
            assertEquals("b", who(second));
            assertNotSame(first.loadClass("t.Shared"), second.loadClass("t.Shared"));
            assertThrows(ClassNotFoundException.class, () -> first.loadClass("t.OnlyB"));
            assertSame(Component.class, first.loadClass(Component.class.getName()), "the SDK is the host's");
            assertSame(Component.class, second.loadClass(Component.class.getName()));
        }
    }
}
