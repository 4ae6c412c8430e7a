package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Vault's releases: signed manifests ({@code manifests/<release>.json} and {@code .sig}), immutable once
 * published, and drafts ({@code drafts/<release>.json}) that {@code atomic vault add} builds up until they are signed.
 */
public final class Releases {

    private final Vault vault;

    Releases(Vault vault) {
        this.vault = vault;
    }

    /** Names of the published releases, sorted. */
    public List<String> names() throws IOException {
        return jsonNames(dir());
    }

    public List<String> drafts() throws IOException {
        return jsonNames(draftDir());
    }

    /**
     * Checks the manifest's signature against every trusted key and returns the manifest with the key that signed
     * it. The bytes are parsed only after a trusted key has vouched for them.
     */
    public VerifiedRelease verify(String release) throws IOException {
        ReleaseManifest.checkReleaseName(release);
        Path json = dir().resolve(release + ".json");
        Path sig = dir().resolve(release + ".sig");
        if (!Files.exists(json, LinkOption.NOFOLLOW_LINKS)) {
            throw new VaultException("no release '" + release + "' in Vault " + vault.root());
        }
        if (!Files.exists(sig, LinkOption.NOFOLLOW_LINKS)) {
            throw new VaultException("manifest '" + release + "' is not signed: " + sig + " is missing");
        }
        VaultGuard.checkFile(vault.root(), json);
        VaultGuard.checkFile(vault.root(), sig);
        byte[] bytes = SafeFiles.readBounded(json, ReleaseManifest.MAX_BYTES, "manifest '" + release + "'");
        SignatureFile signature = SignatureFile.parse(
                SafeFiles.readBounded(sig, SignatureFile.MAX_BYTES, "signature of manifest '" + release + "'"), release);
        List<TrustStore.TrustedKey> trusted = vault.trustStore().keys();
        if (trusted.isEmpty()) {
            throw new VaultException("no trusted keys in " + vault.trustStore().directory() + ": cannot verify manifest '"
                    + release + "'");
        }
        for (TrustStore.TrustedKey k : trusted) {
            if (Signer.verify(bytes, signature.signature(), k.key())) {
                ReleaseManifest m = ReleaseManifest.parse(bytes, release);
                if (!m.release().equals(release)) {
                    throw new VaultException("manifest file " + json + " holds release '" + m.release() + "', not '"
                            + release + "'");
                }
                return new VerifiedRelease(m, k.name(), k.fingerprint());
            }
        }
        for (TrustStore.TrustedKey k : trusted) {
            if (k.fingerprint().equals(signature.keyFingerprint())) {
                throw new VaultException("signature of manifest '" + release + "' does not match its contents (it names "
                        + "trusted key '" + k.name() + "', whose signature it is not): the manifest or its signature "
                        + "was changed after signing");
            }
        }
        throw new VaultException("manifest '" + release + "' is signed by no trusted key (signature by key fingerprint "
                + Sha256.brief(signature.keyFingerprint()) + "; trusted: " + fingerprints(trusted) + ")");
    }

    /**
     * Signs {@code manifest} and publishes it. A release is never replaced: a changed release is a new release.
     * {@code publicKey} must be {@code privateKey}'s pair; its fingerprint, returned, goes into the signature file.
     */
    public String publish(ReleaseManifest manifest, PrivateKey privateKey, PublicKey publicKey) throws IOException {
        String release = manifest.release();
        Path json = dir().resolve(release + ".json");
        if (Files.exists(json, LinkOption.NOFOLLOW_LINKS)) {
            throw new VaultException("release '" + release + "' is already published; releases are immutable, so "
                    + "publish the change under a new name");
        }
        byte[] bytes = manifest.toJson();
        byte[] sig = Signer.sign(bytes, privateKey);
        if (!Signer.verify(bytes, sig, publicKey)) {
            throw new VaultException("the public key given is not the pair of the private key used to sign");
        }
        String fingerprint = Keys.fingerprint(publicKey);
        try (WriteWindow w = vault.writeWindow(dir())) {
            // The signature first: a release exists once its .json does, and by then it is signed.
            SafeFiles.writeAtomically(dir().resolve(release + ".sig"), new SignatureFile(fingerprint, sig).toJson(),
                    Modes.READ_ONLY_FILE);
            SafeFiles.writeAtomically(json, bytes, Modes.READ_ONLY_FILE);
        }
        return fingerprint;
    }

    public Optional<ReleaseManifest> draft(String release) throws IOException {
        ReleaseManifest.checkReleaseName(release);
        Path p = draftDir().resolve(release + ".json");
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        VaultGuard.checkFile(vault.root(), p);
        return Optional.of(ReleaseManifest.parse(SafeFiles.readBounded(p, ReleaseManifest.MAX_BYTES,
                "draft '" + release + "'"), "draft " + release));
    }

    public void saveDraft(ReleaseManifest draft) throws IOException {
        try (WriteWindow w = vault.writeWindow(draftDir())) {
            SafeFiles.writeAtomically(draftDir().resolve(draft.release() + ".json"), draft.toJson(),
                    Modes.READ_ONLY_FILE);
        }
    }

    public void deleteDraft(String release) throws IOException {
        ReleaseManifest.checkReleaseName(release);
        try (WriteWindow w = vault.writeWindow(draftDir())) {
            Files.deleteIfExists(draftDir().resolve(release + ".json"));
        }
    }

    /**
     * Every object a published manifest or a draft names, signature checked or not: gc must not remove what any
     * release may still need. A manifest that cannot be read stops it, since what it names is then unknown.
     */
    public Set<String> referencedObjects() throws IOException {
        Set<String> hashes = new HashSet<>();
        for (String r : names()) {
            Path p = dir().resolve(r + ".json");
            VaultGuard.checkFile(vault.root(), p);
            hashes.addAll(ReleaseManifest.parse(SafeFiles.readBounded(p, ReleaseManifest.MAX_BYTES,
                    "manifest '" + r + "'"), r).hashes());
        }
        for (String r : drafts()) {
            draft(r).ifPresent(d -> hashes.addAll(d.hashes()));
        }
        return hashes;
    }

    private Path dir() {
        return vault.root().resolve("manifests");
    }

    private Path draftDir() {
        return vault.root().resolve("drafts");
    }

    private static List<String> jsonNames(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : s) {
                String f = p.getFileName().toString();
                names.add(f.substring(0, f.length() - ".json".length()));
            }
        }
        names.sort(null);
        return names;
    }

    private static String fingerprints(List<TrustStore.TrustedKey> keys) {
        List<String> out = new ArrayList<>();
        for (TrustStore.TrustedKey k : keys) {
            out.add("'" + k.name() + "' " + Sha256.brief(k.fingerprint()));
        }
        return String.join(", ", out);
    }
}
