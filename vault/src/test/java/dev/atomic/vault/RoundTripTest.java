package dev.atomic.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atomic.vault.AuditResult.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {

    @TempDir
    Path tmp;

    @Test
    void keygenAddSignVerifyDeployAudit() throws IOException {
        TestVault t = TestVault.create(tmp);
        ReleaseManifest published = t.publish("2025.06", TestVault.sample());

        VerifiedRelease v = t.vault().verify("2025.06");
        assertEquals(published, v.manifest());
        assertEquals("release", v.keyName());
        assertEquals(t.key().fingerprint(), v.keyFingerprint());

        Path root = tmp.resolve("deploy/current");
        AuditResult deployed = Deployment.deploy(t.vault(), "2025.06", root);
        assertEquals(5, deployed.with(Status.INSTALLED).size(), deployed.report().toString());
        for (TestVault.FileSpec f : TestVault.sample()) {
            Path p = root.resolve(f.path());
            assertArrayEquals(f.content().getBytes(StandardCharsets.UTF_8), Files.readAllBytes(p));
            assertEquals(f.mode(), Modes.of(p), f.path());
        }
        try (var s = Files.list(tmp.resolve("deploy"))) {
            assertEquals(List.of(root), s.toList(), "the staging directory is renamed into place, nothing left over");
        }

        AuditResult audit = BootAudit.check(t.vault(), "2025.06", root);
        assertTrue(audit.clean(), audit.report().toString());
        assertTrue(audit.componentsNotToStart().isEmpty());
        assertTrue(audit.unexpected().isEmpty());
        assertEquals("release '2025.06' (signed by key 'release' (" + Sha256.brief(t.key().fingerprint()) + ")) in "
                + root + ": 5 file(s), 5 ok", audit.report().getFirst());
    }

    @Test
    void theVaultIsReadOnlyOnDisk() throws IOException {
        TestVault t = TestVault.create(tmp);
        ReleaseManifest m = t.publish("r1", TestVault.sample());
        Path root = t.vault().root();
        assertEquals(0555, Modes.of(root));
        for (String d : Vault.DIRECTORIES) {
            assertEquals(0555, Modes.of(root.resolve(d)), d);
        }
        String hash = m.entries().getFirst().sha256();
        assertEquals(0555, Modes.of(t.object(hash).getParent()));
        assertEquals(0444, Modes.of(t.object(hash)));
        assertEquals(0444, Modes.of(t.manifest("r1")));
        assertEquals(0444, Modes.of(root.resolve("manifests/r1.sig")));
        assertEquals(0444, Modes.of(root.resolve("keys/trusted/release.pub")));
        assertEquals(0400, Modes.of(t.key().privateKey()));
        try (var s = Files.list(root.resolve("tmp"))) {
            assertEquals(0, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void addIsIdempotentAndReturnsTheContentHash() throws IOException {
        TestVault t = TestVault.create(tmp);
        Path f = Files.writeString(tmp.resolve("f"), "same bytes");
        String h1 = t.vault().add(f);
        String h2 = t.vault().add(f);
        assertEquals(h1, h2);
        assertEquals(Sha256.of("same bytes".getBytes(StandardCharsets.UTF_8)), h1);
        assertTrue(t.vault().has(h1));
        assertEquals(t.object(h1), t.vault().object(h1).orElseThrow());
        assertEquals(1, t.vault().objectHashes().size());
    }

    @Test
    void theManifestHasOneCanonicalForm() throws IOException {
        TestVault t = TestVault.create(tmp);
        ReleaseManifest m = ReleaseManifest.of("r1", java.time.Instant.parse("2025-06-01T12:00:00Z"),
                t.entries(TestVault.sample().reversed()));
        String json = new String(m.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("""
                {
                  "channels": {"dak": "monthly", "engine": "monthly", "services": "monthly", "sovereign": "quarterly"},
                  "created": "2025-06-01T12:00:00Z",
                  "entries": [
                    {"component": "demo-app", "layer": "dak", "mode": "0644", "path": "apps/demo-app.jar", "sha256": \""""),
                json);
        assertTrue(json.endsWith("""
                  ],
                  "format": 1,
                  "release": "r1"
                }
                """), json);
        assertEquals(m, ReleaseManifest.parse(m.toJson(), "r1"));
        assertArrayEquals(m.toJson(), ReleaseManifest.parse(m.toJson(), "r1").toJson());
    }
}
