package dev.atomic.vault;

import static dev.atomic.vault.ObjectIntegrityTest.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atomic.vault.AuditResult.FileCheck;
import dev.atomic.vault.AuditResult.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootAuditTest {

    @TempDir
    Path tmp;

    TestVault t;
    Path root;

    @BeforeEach
    void deploy() throws IOException {
        t = TestVault.create(tmp);
        t.publish("r1", TestVault.sample());
        root = tmp.resolve("deploy");
        Deployment.deploy(t.vault(), "r1", root);
    }

    @Test
    void oneFlippedBitIsRepairedAndReported() throws IOException {
        Path jar = root.resolve("engine/atomic-engine.jar");
        byte[] good = Files.readAllBytes(jar);
        byte[] bad = good.clone();
        bad[10] ^= 0x08;
        Files.write(jar, bad);

        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        FileCheck c = check(audit, "engine/atomic-engine.jar");
        assertEquals(Status.REPAIRED, c.status());
        assertEquals("altered: its content hashes to " + Sha256.brief(Sha256.of(bad)) + ", the manifest says "
                + Sha256.brief(Sha256.of(good)) + "; restored from the Vault", c.reason());
        assertArrayEquals(good, Files.readAllBytes(jar));
        assertEquals(4, audit.with(Status.OK).size());
        assertTrue(audit.componentsNotToStart().isEmpty());
        assertTrue(audit.report().contains("  repaired      engine/atomic-engine.jar (engine): " + c.reason()),
                audit.report().toString());
        assertTrue(BootAudit.check(t.vault(), "r1", root).clean(), "a second audit finds nothing left to do");
    }

    @Test
    void aDeletedFileIsRestoredWithItsMode() throws IOException {
        Path bin = root.resolve("engine/bin/engine");
        Files.delete(bin);
        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        assertEquals(Status.REPAIRED, check(audit, "engine/bin/engine").status());
        assertEquals("missing; restored from the Vault", check(audit, "engine/bin/engine").reason());
        assertEquals(0755, Modes.of(bin));
        assertEquals("#!/bin/sh\nexec java -jar atomic-engine.jar\n", Files.readString(bin));
    }

    @Test
    void aWholeDeletedDirectoryAndATruncatedFileAreRestored() throws IOException {
        SafeFiles.deleteTree(root.resolve("engine"));
        Files.write(root.resolve("apps/demo-app.jar"), new byte[3]);
        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        assertEquals(3, audit.with(Status.REPAIRED).size(), audit.report().toString());
        assertEquals("altered: 3 bytes, the manifest says 450; restored from the Vault",
                check(audit, "apps/demo-app.jar").reason());
        assertTrue(BootAudit.check(t.vault(), "r1", root).clean());
    }

    @Test
    void aWrongModeIsSetBack() throws IOException {
        Path jar = root.resolve("services/echo.jar");
        Modes.set(jar, 0666);
        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        assertEquals("mode was 0666; set to 0644", check(audit, "services/echo.jar").reason());
        assertEquals(0644, Modes.of(jar));
    }

    @Test
    void linksPlantedInTheDeployRootAreReplacedAndNeverWrittenThrough() throws IOException {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("echo.jar"), "echo service");
        SafeFiles.deleteTree(root.resolve("services"));
        Files.createSymbolicLink(root.resolve("services"), outside);
        Path secret = Files.writeString(tmp.resolve("secret"), "demo app ".repeat(50));
        Files.delete(root.resolve("apps/demo-app.jar"));
        Files.createSymbolicLink(root.resolve("apps/demo-app.jar"), secret);

        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        assertEquals("directory services was a symbolic link; replaced by an empty directory; missing; restored from "
                + "the Vault", check(audit, "services/echo.jar").reason());
        assertEquals("was a symbolic link; restored from the Vault", check(audit, "apps/demo-app.jar").reason());
        assertFalse(Files.isSymbolicLink(root.resolve("services")));
        assertFalse(Files.isSymbolicLink(root.resolve("apps/demo-app.jar")));
        assertTrue(Files.isRegularFile(root.resolve("services/echo.jar"), LinkOption.NOFOLLOW_LINKS));
        try (var s = Files.list(outside)) {
            assertEquals(List.of(outside.resolve("echo.jar")), s.toList(), "nothing was written outside the root");
        }
        assertEquals("demo app ".repeat(50), Files.readString(secret));
    }

    @Test
    void aDirectoryInPlaceOfAFileKeepsItsComponentFromStarting() throws IOException {
        Path jar = root.resolve("services/echo.jar");
        Files.delete(jar);
        Files.createDirectory(jar);
        Files.writeString(jar.resolve("keep"), "someone's data");
        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        assertEquals(Status.UNREPAIRABLE, check(audit, "services/echo.jar").status());
        assertTrue(audit.componentsNotToStart().containsKey("echo"));
        assertTrue(Files.exists(jar.resolve("keep")));
    }

    @Test
    void filesTheManifestDoesNotNameAreReportedAndLeftInPlace() throws IOException {
        Files.writeString(root.resolve("engine/extra.jar"), "injected");
        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        assertTrue(audit.clean());
        assertEquals(List.of("engine/extra.jar"), audit.unexpected());
        assertTrue(audit.report().getLast().contains("1 file(s) the manifest does not name, left in place: "
                + "engine/extra.jar"), audit.report().toString());
        assertTrue(Files.exists(root.resolve("engine/extra.jar")));
    }

    @Test
    void anAuditOfAWipedRootRestoresEverything() throws IOException {
        SafeFiles.deleteTree(root);
        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        assertEquals(5, audit.with(Status.REPAIRED).size());
        assertTrue(BootAudit.check(t.vault(), "r1", root).clean());
    }

    @Test
    void deployStartsFromScratchOnly() throws IOException {
        VaultException e = assertThrows(VaultException.class, () -> Deployment.deploy(t.vault(), "r1", root));
        assertTrue(e.getMessage().startsWith("cannot deploy release 'r1' to " + root + ": it exists and is not an "
                + "empty directory"), e.getMessage());
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Deployment.deploy(t.vault(), "r1", empty);
        assertEquals("echo service", Files.readString(empty.resolve("services/echo.jar"), StandardCharsets.UTF_8));
    }
}
