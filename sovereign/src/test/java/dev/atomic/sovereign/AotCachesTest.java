package dev.atomic.sovereign;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cache is made and checked once; a later boot with the same JDK, flags and image accepts it without running a
 * JVM, and one with another JDK or other flags checks it again. The JVM here is a script that keeps its command lines
 * and writes the cache it is asked for.
 */
class AotCachesTest {
    @TempDir
    Path dir;
    private Path java;
    private Path runs;
    private Path root;

    @BeforeEach
    void jdk() throws Exception {
        runs = dir.resolve("runs");
        java = Files.createDirectories(dir.resolve("jdk/bin")).resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "$*" >> %s
                for a in "$@"; do case "$a" in -XX:AOTCacheOutput=*) echo cache > "${a#-XX:AOTCacheOutput=}";; esac; done
                exit 0
                """.formatted(runs));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("jdk/lib"));
        Files.writeString(dir.resolve("jdk/lib/modules"), "the JDK's classes");
        root = Files.createDirectories(dir.resolve("deploy/r1"));
    }

    private String prepare(List<String> tuning) {
        return new AotCaches(java.toString(), tuning, AotCaches.HOST_TRAINING, "").prepare("echo", root,
                List.of(root.resolve("echo.jar")), List.of("x.Echo", "default"));
    }

    private long runs() throws Exception {
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    @Test
    void aCacheIsCheckedOnceForAJdkFlagsAndImage() throws Exception {
        String first = prepare(List.of("-Xmx64m"));
        assertTrue(first.contains("made and accepted"), first);
        assertEquals(2, runs(), "made, then checked with -XX:AOTMode=on");
        assertTrue(Files.readString(runs).contains("-XX:AOTMode=on"));

        String again = prepare(List.of("-Xmx64m"));
        assertTrue(again.contains("accepted: checked by an earlier boot"), again);
        assertEquals(2, runs(), "no JVM run for a cache already checked");

        String flags = prepare(List.of("-Xmx128m"));
        assertTrue(flags.contains("checked and accepted"), flags);
        assertEquals(3, runs(), "other flags: checked again");

        Files.setLastModifiedTime(dir.resolve("jdk/lib/modules"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        String updated = prepare(List.of("-Xmx128m"));
        assertTrue(updated.contains("checked and accepted"), updated);
        assertEquals(4, runs(), "an updated JDK: checked again");
    }
}
