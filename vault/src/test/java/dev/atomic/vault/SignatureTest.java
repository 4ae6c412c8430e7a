package dev.atomic.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignatureTest {

    @TempDir
    Path tmp;

    @Test
    void aManifestChangedAfterSigningIsRefused() throws IOException {
        TestVault t = TestVault.create(tmp);
        t.publish("r1", TestVault.sample());
        byte[] json = Files.readAllBytes(t.manifest("r1"));
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\"size\": ") + "\"size\": ".length();
        json[at] = (byte) (json[at] == '9' ? '8' : json[at] + 1);
        TestVault.overwrite(t.manifest("r1"), json);

        VaultException e = assertThrows(VaultException.class, () -> t.vault().verify("r1"));
        assertTrue(e.getMessage().startsWith("signature of manifest 'r1' does not match its contents"), e.getMessage());
        assertThrows(VaultException.class, () -> BootAudit.check(t.vault(), "r1", tmp.resolve("deploy")));
        assertTrue(Files.notExists(tmp.resolve("deploy/engine")), "nothing is deployed from an unverified manifest");
    }

    @Test
    void aManifestSignedByAnUnknownKeyIsRefused() throws IOException {
        TestVault t = TestVault.create(tmp);
        KeyPair stranger = Keys.generate();
        ReleaseManifest m = ReleaseManifest.of("r1", Instant.now(), t.entries(TestVault.sample()));
        t.vault().releases().publish(m, stranger.getPrivate(), stranger.getPublic());

        VaultException e = assertThrows(VaultException.class, () -> t.vault().verify("r1"));
        assertTrue(e.getMessage().startsWith("manifest 'r1' is signed by no trusted key (signature by key fingerprint "
                + Sha256.brief(Keys.fingerprint(stranger.getPublic()))), e.getMessage());
        assertTrue(e.getMessage().contains("trusted: 'release' " + Sha256.brief(t.key().fingerprint())),
                e.getMessage());
    }

    @Test
    void aSignatureClaimingATrustedKeyButMadeByAnotherIsRefused() throws IOException {
        TestVault t = TestVault.create(tmp);
        KeyPair stranger = Keys.generate();
        ReleaseManifest m = ReleaseManifest.of("r1", Instant.now(), t.entries(TestVault.sample()));
        byte[] forged = new SignatureFile(t.key().fingerprint(), Signer.sign(m.toJson(), stranger.getPrivate()))
                .toJson();
        Path manifests = t.vault().root().resolve("manifests");
        TestVault.inWritable(manifests, () -> {
            Files.write(manifests.resolve("r1.json"), m.toJson());
            Files.write(manifests.resolve("r1.sig"), forged);
        });
        VaultException e = assertThrows(VaultException.class, () -> t.vault().verify("r1"));
        assertTrue(e.getMessage().startsWith("signature of manifest 'r1' does not match its contents"), e.getMessage());
    }

    @Test
    void signingNeedsTheMatchingPublicKeyAndReleasesAreImmutable() throws IOException {
        TestVault t = TestVault.create(tmp);
        ReleaseManifest m = ReleaseManifest.of("r1", Instant.now(), t.entries(TestVault.sample()));
        VaultException mismatch = assertThrows(VaultException.class,
                () -> t.vault().releases().publish(m, t.privateKey(), Keys.generate().getPublic()));
        assertTrue(mismatch.getMessage().contains("not the pair"), mismatch.getMessage());
        assertTrue(Files.notExists(t.manifest("r1")));

        t.vault().releases().publish(m, t.privateKey(), t.publicKey());
        VaultException again = assertThrows(VaultException.class,
                () -> t.vault().releases().publish(m, t.privateKey(), t.publicKey()));
        assertTrue(again.getMessage().contains("already published"), again.getMessage());
    }

    @Test
    void withoutTrustedKeysOrSignatureNothingVerifies() throws IOException {
        TestVault t = TestVault.create(tmp);
        t.publish("r1", TestVault.sample());
        Path trusted = t.vault().root().resolve("keys/trusted");
        TestVault.inWritable(trusted, () -> Files.delete(trusted.resolve("release.pub")));
        VaultException none = assertThrows(VaultException.class, () -> t.vault().verify("r1"));
        assertTrue(none.getMessage().startsWith("no trusted keys in "), none.getMessage());

        Path manifests = t.vault().root().resolve("manifests");
        TestVault.inWritable(manifests, () -> Files.delete(manifests.resolve("r1.sig")));
        VaultException unsigned = assertThrows(VaultException.class, () -> t.vault().verify("r1"));
        assertTrue(unsigned.getMessage().startsWith("manifest 'r1' is not signed"), unsigned.getMessage());
    }

    @Test
    void keysRoundTripThroughPemAndDerAndPrivateKeysStayPrivate() throws IOException {
        Keys.KeyFiles k = Keys.keygen(tmp.resolve("keys"), "k1");
        Path der = Files.write(tmp.resolve("k1.der"), Keys.readPublic(k.publicKey()).getEncoded());
        assertEquals(k.fingerprint(), Keys.fingerprint(Keys.readPublic(der)));
        byte[] data = "exact bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sig = Signer.sign(data, Keys.readPrivate(k.privateKey()));
        assertTrue(Signer.verify(data, sig, Keys.readPublic(k.publicKey())));

        VaultException exists = assertThrows(VaultException.class, () -> Keys.keygen(tmp.resolve("keys"), "k1"));
        assertTrue(exists.getMessage().contains("never overwritten"), exists.getMessage());

        Modes.set(k.privateKey(), 0644);
        VaultException open = assertThrows(VaultException.class, () -> Keys.readPrivate(k.privateKey()));
        assertTrue(open.getMessage().contains("can be read or changed by others (mode 0644)"), open.getMessage());

        Path notAKey = Files.writeString(tmp.resolve("junk.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        VaultException junk = assertThrows(VaultException.class, () -> Keys.readPublic(notAKey));
        assertTrue(junk.getMessage().contains("is not an Ed25519 public key"), junk.getMessage());
    }
}
