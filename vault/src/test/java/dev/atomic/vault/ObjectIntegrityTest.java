package dev.atomic.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atomic.vault.AuditResult.FileCheck;
import dev.atomic.vault.AuditResult.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectIntegrityTest {

    @TempDir
    Path tmp;

    @Test
    void aTruncatedObjectIsNeverReturnedAndItsComponentDoesNotStart() throws IOException {
        TestVault t = TestVault.create(tmp);
        ReleaseManifest m = t.publish("r1", TestVault.sample());
        Path root = tmp.resolve("deploy");
        Deployment.deploy(t.vault(), "r1", root);
        ReleaseManifest.Entry demo = entry(m, "apps/demo-app.jar");
        byte[] whole = Files.readAllBytes(t.object(demo.sha256()));
        TestVault.overwrite(t.object(demo.sha256()), Arrays.copyOf(whole, 100));

        assertEquals(Optional.empty(), t.vault().object(demo.sha256()));
        assertTrue(t.vault().problem(demo.sha256()).orElseThrow().contains("is corrupt"));

        // While the deployed copy is intact the component is fine: the Vault is only the source of repairs.
        assertTrue(BootAudit.check(t.vault(), "r1", root).clean());

        Files.delete(root.resolve(demo.path()));
        AuditResult audit = BootAudit.check(t.vault(), "r1", root);
        FileCheck check = check(audit, demo.path());
        assertEquals(Status.UNREPAIRABLE, check.status());
        assertEquals("missing; the Vault has no intact copy: object " + Sha256.brief(demo.sha256())
                + " is truncated or replaced: it holds 100 of its " + whole.length + " bytes", check.reason());
        assertEquals(Map.of("demo-app", Layer.DAK), audit.componentsNotToStart());
        assertTrue(Files.notExists(root.resolve(demo.path())), "the truncated object was not deployed");
        assertEquals(4, audit.with(Status.OK).size(), "the other components are untouched");
        assertTrue(audit.report().contains("  not starting  demo-app (dak): a file of it could not be made right; "
                + "the system runs without it"), audit.report().toString());
        try (var s = Files.list(root.resolve("apps"))) {
            assertEquals(0, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void anObjectSwappedForAnotherIsDetectedByItsHash() throws IOException {
        TestVault t = TestVault.create(tmp);
        ReleaseManifest m = t.publish("r1", TestVault.sample());
        ReleaseManifest.Entry engine = entry(m, "engine/atomic-engine.jar");
        ReleaseManifest.Entry echo = entry(m, "services/echo.jar");
        TestVault.overwrite(t.object(engine.sha256()), Files.readAllBytes(t.object(echo.sha256())));

        assertEquals(Optional.empty(), t.vault().object(engine.sha256()));
        assertEquals(List.of("object " + Sha256.brief(engine.sha256()) + " is corrupt: its content hashes to "
                + Sha256.brief(echo.sha256())), t.vault().verifyObjects());

        AuditResult deployed = Deployment.deploy(t.vault(), "r1", tmp.resolve("deploy"));
        assertEquals(Status.UNREPAIRABLE, check(deployed, engine.path()).status());
        assertEquals("the Vault has no intact copy: object " + Sha256.brief(engine.sha256()) + " is truncated or "
                + "replaced: it holds " + echo.size() + " of its " + engine.size() + " bytes",
                check(deployed, engine.path()).reason());
        assertEquals(Map.of("engine", Layer.ENGINE), deployed.componentsNotToStart());
        assertTrue(Files.notExists(tmp.resolve("deploy").resolve(engine.path())));
        assertEquals(Status.INSTALLED, check(deployed, "engine/bin/engine").status());
    }

    @Test
    void anObjectOfTheRightSizeWithOneBitFlippedIsNotDeployed() throws IOException {
        TestVault t = TestVault.create(tmp);
        ReleaseManifest m = t.publish("r1", TestVault.sample());
        ReleaseManifest.Entry echo = entry(m, "services/echo.jar");
        byte[] content = Files.readAllBytes(t.object(echo.sha256()));
        content[3] ^= 0x10;
        TestVault.overwrite(t.object(echo.sha256()), content);

        AuditResult deployed = Deployment.deploy(t.vault(), "r1", tmp.resolve("deploy"));
        assertEquals(Status.UNREPAIRABLE, check(deployed, echo.path()).status());
        assertEquals("the Vault has no intact copy: object " + Sha256.brief(echo.sha256()) + " is corrupt: its "
                + "content hashes to " + Sha256.brief(Sha256.of(content)), check(deployed, echo.path()).reason());
        assertEquals(Map.of("echo", Layer.SERVICES), deployed.componentsNotToStart());
    }

    @Test
    void addingTheGoodFileAgainHealsACorruptObject() throws IOException {
        TestVault t = TestVault.create(tmp);
        Path f = Files.writeString(tmp.resolve("image.jar"), "image bytes");
        String hash = t.vault().add(f);
        TestVault.overwrite(t.object(hash), "other bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), t.vault().object(hash));

        assertEquals(hash, t.vault().add(f));
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(t.vault().object(hash).orElseThrow()));
        assertEquals(0444, Modes.of(t.object(hash)));
    }

    @Test
    void strayFilesAmongObjectsAreNamed() throws IOException {
        TestVault t = TestVault.create(tmp);
        String hash = t.vault().add(Files.writeString(tmp.resolve("f"), "content"));
        Path fanout = t.object(hash).getParent();
        TestVault.inWritable(fanout, () -> Files.writeString(fanout.resolve("not-a-hash"), "x"));
        TestVault.inWritable(fanout.getParent(), () -> Files.writeString(fanout.resolveSibling("misplaced"), "y"));
        Vault reopened = Vault.open(t.vault().root());
        assertEquals(List.of("stray file objects/" + fanout.getFileName() + "/not-a-hash (not an object name)",
                "stray file objects/misplaced (not an object name)"), reopened.verifyObjects());
        assertEquals(List.of("objects/" + fanout.getFileName() + "/not-a-hash", "objects/misplaced"),
                reopened.gc(Set.of(hash)));
        assertEquals(List.of(), reopened.verifyObjects());
    }

    static ReleaseManifest.Entry entry(ReleaseManifest m, String path) {
        return m.entries().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    static FileCheck check(AuditResult r, String path) {
        return r.files().stream().filter(f -> f.entry().path().equals(path)).findFirst().orElseThrow();
    }
}
