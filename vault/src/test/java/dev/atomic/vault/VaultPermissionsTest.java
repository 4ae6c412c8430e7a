package dev.atomic.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultPermissionsTest {

    @TempDir
    Path tmp;

    @Test
    void aVaultWritableByOthersIsRefused() throws IOException {
        Path root = Vault.init(tmp.resolve("vault")).root();
        Modes.set(root, 0777);
        VaultException e = assertThrows(VaultException.class, () -> Vault.open(root));
        assertEquals("Vault " + root + " is writable by others (mode 0777): refusing to trust it; fix with chmod go-w -R "
                + root, e.getMessage());
        assertThrows(VaultException.class, () -> Vault.init(root), "init does not quietly re-trust an existing Vault");
        assertEquals(0777, Modes.of(root));
        Modes.set(root, 0555);
        Vault.open(root);
    }

    @Test
    void aVaultSubdirectoryWritableByItsGroupIsRefused() throws IOException {
        TestVault t = TestVault.create(tmp);
        Path root = t.vault().root();
        String hash = t.vault().add(Files.writeString(tmp.resolve("f"), "x"));
        Path fanout = t.object(hash).getParent();
        Modes.set(fanout, 0775);
        VaultException e = assertThrows(VaultException.class, () -> Vault.open(root));
        assertEquals("Vault directory " + fanout + " is writable by its group (mode 0775): refusing to trust the Vault "
                + root + "; fix with chmod go-w -R " + root, e.getMessage());
    }

    @Test
    void aTrustedKeyWritableByOthersIsRefused() throws IOException {
        TestVault t = TestVault.create(tmp);
        t.publish("r1", TestVault.sample());
        Path pub = t.vault().root().resolve("keys/trusted/release.pub");
        Modes.set(pub, 0666);
        VaultException e = assertThrows(VaultException.class, () -> t.vault().verify("r1"));
        assertTrue(e.getMessage().startsWith("Vault file " + pub + " is writable by others (mode 0666)"),
                e.getMessage());
    }

    @Test
    void aVaultInADirectoryAnyoneCanRenameInIsRefused() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Path root = Vault.init(shared.resolve("vault")).root();
        Modes.set(shared, 0777);
        VaultException e = assertThrows(VaultException.class, () -> Vault.open(root));
        assertTrue(e.getMessage().startsWith("Vault " + root + " lies in " + shared + ", which is writable by others "
                + "(mode 0777) without the sticky bit"), e.getMessage());
        Modes.set(shared, 01777);
        Vault.open(root);
    }

    @Test
    void aSymbolicLinkInPlaceOfAVaultDirectoryIsRefused() throws IOException {
        TestVault t = TestVault.create(tmp);
        Path root = t.vault().root();
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        TestVault.inWritable(root, () -> {
            Files.delete(root.resolve("manifests"));
            Files.createSymbolicLink(root.resolve("manifests"), elsewhere);
        });
        VaultException e = assertThrows(VaultException.class, () -> Vault.open(root));
        assertEquals("Vault entry " + root.resolve("manifests") + " is a symbolic link: refusing to trust the Vault "
                + root, e.getMessage());
    }

    @Test
    void openingSomethingThatIsNoVaultSaysSo() throws IOException {
        VaultException missing = assertThrows(VaultException.class, () -> Vault.open(tmp.resolve("none")));
        assertTrue(missing.getMessage().startsWith("no Vault at " + tmp.resolve("none")), missing.getMessage());
        Path other = Files.createDirectory(tmp.resolve("other"));
        Files.writeString(other.resolve("file"), "x");
        VaultException notEmpty = assertThrows(VaultException.class, () -> Vault.init(other));
        assertEquals("cannot create a Vault in " + other + ": it is not empty and not a Vault", notEmpty.getMessage());
        VaultException notVault = assertThrows(VaultException.class, () -> Vault.open(other));
        assertEquals(other + " is not a Vault: it has no objects/ directory", notVault.getMessage());
    }
}
