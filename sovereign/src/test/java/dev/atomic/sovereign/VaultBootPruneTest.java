package dev.atomic.sovereign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A boot prunes the deployments nothing boots any more, and keeps the AOT caches of the one it boots. */
class VaultBootPruneTest {
    @TempDir
    Path home;

    @Test
    void theBootedReleasesAotCachesStayAndAnOldReleaseGoesWithItsCaches() throws IOException {
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Path booted = Files.createDirectories(deploy.resolve("default-1"));
        Path bootedCache = Files.writeString(Files.createDirectories(deploy.resolve("default-1.aot"))
                .resolve("echo.aot"), "cache");
        Path old = Files.createDirectories(deploy.resolve("default-0"));
        Path oldCaches = Files.createDirectories(deploy.resolve("default-0.aot"));
        Files.writeString(oldCaches.resolve("echo.aot"), "cache");
        Path staging = Files.createDirectories(deploy.resolve(".staging"));

        VaultBoot.prune(home, "default-1");

        assertTrue(Files.isDirectory(booted));
        assertTrue(Files.isRegularFile(bootedCache), "the booted release's AOT cache is what its hosts start with");
        assertFalse(Files.exists(old));
        assertFalse(Files.exists(oldCaches));
        assertTrue(Files.isDirectory(staging));
    }
}
