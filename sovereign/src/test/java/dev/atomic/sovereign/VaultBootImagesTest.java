package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.component.SystemSpec;
import dev.atomic.vault.ClassPathImage;
import dev.atomic.vault.ReleaseManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A release is cut from the installation and, for a system from a directory, from its manifests and the files they
 * name; a built-in system naming an image elsewhere stops the boot, saying why.
 */
class VaultBootImagesTest {
    private static SystemSpec systemOf(Image image) {
        return new SystemSpec("elsewhere", List.of(new ComponentSpec("probe", Kernel.DAK, "driver", image, List.of(),
                List.of(), 64 << 20, 16, 100, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS,
                SandboxGrants.NONE, 2)));
    }

    @Test
    void anExecutableOrAJarOutsideTheInstallationIsNotReleased() {
        for (Image image : List.of(Image.exec("/opt/probe/bin/probe", List.of()),
                new Image(Image.Kind.JAVA, "dev.atomic.demo.EchoService", "/opt/probe/probe.jar", List.of()))) {
            IOException e = assertThrows(IOException.class,
                    () -> VaultBoot.installedImages(systemOf(image), java.util.Optional.empty(),
                            Installation.current()));
            assertEquals("probe's image (" + image + ") is outside the installation: only a system from a directory "
                    + "of manifests (atomic boot --system <directory>) may name a jar or an executable", e.getMessage());
        }
    }

    @Test
    void aDirectorySystemsManifestsJarAndExecutableBecomeFilesOfItsImages(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("app.toml"), """
                id = "app"
                kernel = "dak"
                kind = "app"
                version = "1.0.0"
                [image]
                class = "com.example.App"
                jar = "lib/app.jar"
                [[calls]]
                service = "echo"
                version = 1
                """);
        Files.writeString(dir.resolve("echo.toml"), """
                id = "echo"
                kernel = "services"
                kind = "service"
                version = "1.0.0"
                [image]
                exec = "echo-c"
                args = ["--upper"]
                [[provides]]
                service = "echo"
                version = 1
                """);
        SystemSpec system = SystemSpec.fromDirectory(dir);
        Files.writeString(dir.resolve("echo-c"), "#!/bin/sh\n");
        assertEquals("echo's image names " + dir.resolve("echo-c") + ", which is not an executable file",
                assertThrows(IOException.class, () -> VaultBoot.installedImages(system, Optional.of(dir),
                        Installation.current())).getMessage());
        Files.setPosixFilePermissions(dir.resolve("echo-c"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("lib"));
        assertEquals("app's image names the jar " + dir.resolve("lib/app.jar") + ", which is not a file",
                assertThrows(IOException.class, () -> VaultBoot.installedImages(system, Optional.of(dir),
                        Installation.current())).getMessage());
        Files.write(dir.resolve("lib/app.jar"), new byte[]{'P', 'K', 5, 6});

        List<ReleaseManifest.Entry> entries = VaultBoot.installedImages(system, Optional.of(dir),
                Installation.current()).stream().map(ClassPathImage.Placed::entry).toList();
        List<String> paths = entries.stream().map(ReleaseManifest.Entry::path).toList();
        String name = system.name();
        for (String image : List.of("engine", "dak/app", "services/echo")) {
            for (String manifest : List.of("app.toml", "echo.toml")) {
                assertTrue(paths.contains(image + "/@system/" + name + "/" + manifest), image + ": " + paths);
            }
        }
        assertTrue(paths.contains("dak/app/app.jar"), paths.toString());
        assertTrue(paths.stream().anyMatch(p -> p.startsWith("dak/app/") && p.endsWith("ComponentHost.class")
                || p.startsWith("dak/app/atomic-component")), "the component host's own image: " + paths);
        // An executable image is the program, and the code of its seccomp trampoline (ExecHost): the component
        // host's jars, none of a component's.
        List<String> echo = paths.stream().filter(p -> p.startsWith("services/echo/")).sorted().toList();
        assertEquals(List.of("services/echo/@exec/echo-c", "services/echo/@system/" + name + "/app.toml",
                "services/echo/@system/" + name + "/echo.toml"), echo.stream().filter(p -> p.contains("@")).toList());
        assertTrue(echo.stream().anyMatch(p -> p.startsWith("services/echo/atomic-component")
                || p.endsWith("/ExecHost.class")), echo.toString());
        assertFalse(echo.stream().anyMatch(p -> p.contains("app.jar") || p.contains("atomic-demo")), echo.toString());
        assertEquals(0755, entries.stream().filter(e -> e.path().endsWith("@exec/echo-c")).findFirst().orElseThrow()
                .mode());

        Path root = Path.of("/deploy/r");
        ReleaseManifest release = ReleaseManifest.of("r", Instant.now(), entries);
        List<Path> classPath = new ClassPathImage("dak/app").classPath(root, release);
        assertTrue(classPath.contains(root.resolve("dak/app/app.jar")), classPath.toString());
        assertFalse(classPath.stream().anyMatch(p -> p.toString().contains("@")), classPath.toString());
        assertEquals(root.resolve("dak/app/@system/" + name).toString(),
                SystemFiles.reference(root, release, new ClassPathImage("dak/app"), system));
        assertEquals(root.resolve("services/echo/@exec/echo-c"), SystemFiles.executable(root,
                new ClassPathImage("services/echo"), system.component("echo").orElseThrow()));

        // A live update may change any image but not the system itself: the running Engine holds the old one.
        assertEquals(Optional.empty(), SystemFiles.liveUpdateProblem(release, ReleaseManifest.of("s", Instant.now(),
                entries.stream().filter(e -> !e.path().equals("dak/app/app.jar")).toList())));
        ReleaseManifest edited = ReleaseManifest.of("t", Instant.now(), entries.stream().map(e -> e.path().equals(
                "engine/@system/" + name + "/echo.toml") ? new ReleaseManifest.Entry(e.path(), "0".repeat(64), 1,
                e.layer(), e.component(), e.mode()) : e).toList());
        assertEquals(Optional.of("it changes the system's manifests (echo.toml), which the running Engine and "
                + "components cannot take while they run: stop Atomic and boot it (atomic boot --release t)"),
                SystemFiles.liveUpdateProblem(release, edited));
    }
}
