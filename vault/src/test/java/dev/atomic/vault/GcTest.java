package dev.atomic.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcTest {

    @TempDir
    Path tmp;

    @Test
    void gcKeepsWhatReleasesAndDraftsNameAndRemovesTheRest() throws IOException {
        TestVault t = TestVault.create(tmp);
        ReleaseManifest r1 = t.publish("r1", TestVault.sample());
        ReleaseManifest draft = ReleaseManifest.of("r2", Instant.now(), t.entries(List.of(
                new TestVault.FileSpec("apps/next.jar", "next version", Layer.DAK, "demo-app", 0644))));
        t.vault().releases().saveDraft(draft);
        String loose = t.vault().add(Files.writeString(tmp.resolve("loose"), "nobody needs this"));
        Path tmpDir = t.vault().root().resolve("tmp");
        TestVault.inWritable(tmpDir, () -> Files.writeString(tmpDir.resolve("add-interrupted"), "partial"));

        Set<String> keep = t.vault().releases().referencedObjects();
        assertEquals(6, keep.size());
        assertEquals(List.of(loose, "tmp/add-interrupted"), t.vault().gc(keep));

        assertFalse(t.vault().has(loose));
        for (String h : r1.hashes()) {
            assertTrue(t.vault().object(h).isPresent(), h);
        }
        assertTrue(t.vault().object(draft.entries().getFirst().sha256()).isPresent());
        assertEquals(0555, Modes.of(t.vault().root().resolve("objects")));
        assertEquals(0555, Modes.of(t.object(draft.entries().getFirst().sha256()).getParent()));
        assertEquals(List.of(), t.vault().gc(keep), "a second gc has nothing to remove");
        assertEquals(6, t.vault().gc(Set.of()).size());
    }
}
