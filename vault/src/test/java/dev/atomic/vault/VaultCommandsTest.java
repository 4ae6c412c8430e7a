package dev.atomic.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void theCommandsTakeAReleaseFromFilesToAVerifiedDeployment() throws IOException {
        Path build = Files.createDirectories(tmp.resolve("build/engine/bin"));
        Files.writeString(build.resolve("engine"), "#!/bin/sh\n");
        Modes.set(build.resolve("engine"), 0750);
        Files.writeString(tmp.resolve("build/engine/atomic-engine.jar"), "engine");
        Path echo = Files.writeString(tmp.resolve("echo.jar"), "echo");
        Path vaultDir = tmp.resolve("vault");
        VaultCommands vault = new VaultCommands(vaultDir);

        List<String> keygen = vault.keygen(tmp.resolve("keys"), "release-2025");
        assertTrue(keygen.getLast().startsWith("trusted by the Vault "), keygen.toString());

        List<String> added = vault.add("2025.06", Layer.ENGINE, "engine", "engine/", tmp.resolve("build/engine"));
        assertEquals(3, added.size(), added.toString());
        vault.add("2025.06", Layer.SERVICES, "echo", "services/", echo);
        assertTrue(vault.list().contains("draft    2025.06  unsigned, 3 file(s)"), vault.list().toString());

        List<String> signed = vault.sign("2025.06", tmp.resolve("keys/release-2025.key"));
        assertTrue(signed.getFirst().startsWith("published release '2025.06': 3 file(s) in 2 component(s)"),
                signed.toString());
        assertEquals(1, signed.size(), "the key is trusted, so no note");

        assertTrue(vault.verify("2025.06").getFirst().endsWith("3 file(s) in 2 component(s); every object intact"));
        assertTrue(vault.verify().getLast().equals("3 object(s) hashed again: all intact"), vault.verify().toString());
        List<String> entries = vault.list("2025.06");
        assertEquals(4, entries.size());
        assertTrue(entries.get(2).startsWith("0755 "), entries.toString());
        assertTrue(entries.get(2).endsWith(" engine/bin/engine"), entries.toString());
        assertTrue(entries.get(3).endsWith(" services/echo.jar"), entries.toString());
        assertEquals(List.of("gc: removed 0, kept 3 object(s)"), vault.gc());

        VaultException immutable = assertThrows(VaultException.class,
                () -> vault.add("2025.06", Layer.SERVICES, "echo", "services/echo.jar", echo));
        assertTrue(immutable.getMessage().contains("already published"), immutable.getMessage());

        AuditResult deployed = Deployment.deploy(Vault.open(vaultDir), "2025.06", tmp.resolve("deploy"));
        assertEquals(3, deployed.with(AuditResult.Status.INSTALLED).size());
        assertEquals(0755, Modes.of(tmp.resolve("deploy/engine/bin/engine")));
    }

    @Test
    void verifyNamesEveryBrokenObjectAndSignRefusesThem() throws IOException {
        Path vaultDir = tmp.resolve("vault");
        VaultCommands vault = new VaultCommands(vaultDir);
        vault.keygen(tmp.resolve("keys"), "k");
        Path jar = Files.writeString(tmp.resolve("a.jar"), "a");
        vault.add("r1", Layer.DAK, "app", "apps/a.jar", jar);
        vault.sign("r1", tmp.resolve("keys/k.key"));
        vault.add("r2", Layer.DAK, "app", "apps/a.jar", jar);
        String hash = Sha256.of(Files.readAllBytes(jar));
        TestVault.overwrite(Vault.open(vaultDir).objectPath(hash), "b".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        VaultException verify = assertThrows(VaultException.class, () -> vault.verify("r1"));
        assertTrue(verify.getMessage().contains("1 object(s) cannot be used:\n  object " + Sha256.brief(hash)
                + " is corrupt"), verify.getMessage());
        VaultException all = assertThrows(VaultException.class, vault::verify);
        assertTrue(all.getMessage().endsWith("1 problem(s)\n  object " + Sha256.brief(hash) + " is corrupt: its "
                + "content hashes to " + Sha256.brief(Sha256.of("b".getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
                all.getMessage());
        VaultException sign = assertThrows(VaultException.class, () -> vault.sign("r2", tmp.resolve("keys/k.key")));
        assertTrue(sign.getMessage().startsWith("cannot sign release 'r2': object "), sign.getMessage());
    }
}
