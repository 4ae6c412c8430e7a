package dev.atomic.vault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassPathImageTest {
    @TempDir
    Path dir;

    private final ClassPathImage image = new ClassPathImage("services/echo");

    @Test
    void namesJarsByFileAndBuildDirectoriesByModule() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("engine/target/classes"));
        Path plain = Files.createDirectories(dir.resolve("plain"));
        assertEquals("engine-classes", ClassPathImage.name(classes));
        assertEquals("plain", ClassPathImage.name(plain));
        assertEquals("x-1.0.jar", ClassPathImage.name(dir.resolve("lib/x-1.0.jar")));
    }

    @Test
    void aClassPathMatchesTheReleaseMadeFromIt_andEveryChangeIsNamed() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("echo/target/classes/dev"));
        Files.writeString(classes.resolve("Echo.class"), "echo");
        Files.writeString(classes.resolve("Other.class"), "other");
        Path jar = Files.createDirectories(dir.resolve("lib")).resolve("x-1.0.jar");
        Files.writeString(jar, "jar");
        List<Path> classPath = List.of(classes.getParent(), jar, dir.resolve("absent.jar"));

        List<ClassPathImage.Placed> placed = image.describe(classPath, Layer.SERVICES, "echo", new HashMap<>());
        assertEquals(List.of("services/echo/echo-classes/dev/Echo.class", "services/echo/echo-classes/dev/Other.class",
                "services/echo/x-1.0.jar"), placed.stream().map(p -> p.entry().path()).toList());
        ReleaseManifest m = ReleaseManifest.of("r1", Instant.now(), placed.stream().map(ClassPathImage.Placed::entry)
                .toList());
        assertEquals(List.of(), image.verify(classPath, m));
        assertEquals(List.of(dir.resolve("root/services/echo/echo-classes"), dir.resolve("root/services/echo/x-1.0.jar")),
                image.classPath(dir.resolve("root"), m));

        Files.writeString(jar, "jaR");
        Files.delete(classes.resolve("Other.class"));
        Path extra = Files.writeString(dir.resolve("lib/extra.jar"), "extra");
        List<String> problems = image.verify(List.of(classes.getParent(), jar, extra), m);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.contains(extra + " is not part of release 'r1'"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(jar + " hashes to ")), problems.toString());
        assertTrue(problems.contains("services/echo/echo-classes/dev/Other.class of release 'r1' is missing"),
                problems.toString());
    }

    @Test
    void theDifferencesBetweenTwoReleasesAreTheFilesAddedRemovedOrChanged() {
        String h1 = "1".repeat(64);
        String h2 = "2".repeat(64);
        ReleaseManifest a = ReleaseManifest.of("a", Instant.now(), List.of(
                entry("services/echo/same.jar", h1, 0644), entry("services/echo/content.jar", h1, 0644),
                entry("services/echo/mode.sh", h1, 0644), entry("services/echo/gone.jar", h1, 0644),
                entry("engine/other.jar", h1, 0644)));
        ReleaseManifest b = ReleaseManifest.of("b", Instant.now(), List.of(
                entry("services/echo/same.jar", h1, 0644), entry("services/echo/content.jar", h2, 0644),
                entry("services/echo/mode.sh", h1, 0755), entry("services/echo/new.jar", h1, 0644),
                entry("engine/other.jar", h2, 0644)));
        assertEquals(java.util.Set.of("services/echo/content.jar", "services/echo/mode.sh", "services/echo/gone.jar",
                "services/echo/new.jar"), image.differences(a, b));
        assertEquals(java.util.Set.of(), image.differences(a, a));
    }

    private static ReleaseManifest.Entry entry(String path, String hash, int mode) {
        return new ReleaseManifest.Entry(path, hash, 1, path.startsWith("engine") ? Layer.ENGINE : Layer.SERVICES,
                path.startsWith("engine") ? "engine" : "echo", mode);
    }

    @Test
    void twoEntriesThatWouldShareANameAreRefused() throws Exception {
        Path a = Files.writeString(Files.createDirectories(dir.resolve("a")).resolve("x.jar"), "a");
        Path b = Files.writeString(Files.createDirectories(dir.resolve("b")).resolve("x.jar"), "b");
        VaultException e = assertThrows(VaultException.class, () -> image.files(List.of(a, b)));
        assertTrue(e.getMessage().contains("would both be 'x.jar'"), e.getMessage());
    }
}
