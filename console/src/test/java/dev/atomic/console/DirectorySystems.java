package dev.atomic.console;

import dev.atomic.demo.DemoApp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Systems written as a directory of manifests, as a product would ship them: the demo app's image is a jar of its
 * own (not the installation's class path), its echo service a class of the installation or an executable.
 */
final class DirectorySystems {
    /** The demo app's manifest: its image is {@code lib/demo-app.jar}, beside the manifest. */
    static final String DEMO_APP = """
            id = "demo-app"
            kernel = "dak"
            kind = "app"
            version = "0.1.0"

            [image]
            class = "dev.atomic.demo.DemoApp"
            jar = "lib/demo-app.jar"

            [[calls]]
            service = "echo"
            version = 1
            methods = [1]
            pool = { buffers = 8, size = "64KiB" }
            """;

    private DirectorySystems() {
    }

    /** Writes {@code <dir>/lib/demo-app.jar}: the demo app's classes, and nothing else of the installation. */
    static Path demoAppJar(Path dir) throws IOException {
        Path classes;
        try {
            classes = Path.of(DemoApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path jar = Files.createDirectories(dir.resolve("lib")).resolve("demo-app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("dev/atomic/demo/DemoApp.class", "dev/atomic/demo/Echo.class",
                    "dev/atomic/demo/echo.kabi")) {
                out.putNextEntry(new JarEntry(name));
                copy(classes, name, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void copy(Path classes, String name, OutputStream out) throws IOException {
        if (Files.isDirectory(classes)) {
            Files.copy(classes.resolve(name), out);
            return;
        }
        try (var zip = new java.util.zip.ZipFile(classes.toFile())) {
            zip.getInputStream(zip.getEntry(name)).transferTo(out);
        }
    }
}
