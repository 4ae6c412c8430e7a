package dev.atomic.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A Vault in a temporary directory with one trusted signing key, and helpers to publish and tamper. */
record TestVault(Path base, Vault vault, Keys.KeyFiles key, PrivateKey privateKey, PublicKey publicKey) {

    record FileSpec(String path, String content, Layer layer, String component, int mode) {
    }

    static TestVault create(Path base) throws IOException {
        Vault vault = Vault.init(base.resolve("vault"));
        Keys.KeyFiles key = Keys.keygen(base.resolve("keys"), "release");
        PublicKey pub = Keys.readPublic(key.publicKey());
        vault.trustStore().trust("release", pub);
        return new TestVault(base, vault, key, Keys.readPrivate(key.privateKey()), pub);
    }

    /** One file per layer, an executable, and a DAK app: enough to see components kept apart. */
    static List<FileSpec> sample() {
        return List.of(
                new FileSpec("sovereign/atomic-sovereign.jar", "sovereign image", Layer.SOVEREIGN, "sovereign", 0644),
                new FileSpec("engine/atomic-engine.jar", "engine image ".repeat(100), Layer.ENGINE, "engine", 0644),
                new FileSpec("engine/bin/engine", "#!/bin/sh\nexec java -jar atomic-engine.jar\n", Layer.ENGINE,
                        "engine", 0755),
                new FileSpec("services/echo.jar", "echo service", Layer.SERVICES, "echo", 0644),
                new FileSpec("apps/demo-app.jar", "demo app ".repeat(50), Layer.DAK, "demo-app", 0644));
    }

    /** Stores every file's content in the Vault and publishes a release naming them, signed by the trusted key. */
    ReleaseManifest publish(String release, List<FileSpec> files) throws IOException {
        ReleaseManifest m = ReleaseManifest.of(release, Instant.parse("2025-06-01T12:00:00Z"), entries(files));
        vault.releases().publish(m, privateKey, publicKey);
        return m;
    }

    List<ReleaseManifest.Entry> entries(List<FileSpec> files) throws IOException {
        Path src = Files.createDirectories(base.resolve("src"));
        List<ReleaseManifest.Entry> entries = new ArrayList<>();
        for (FileSpec f : files) {
            byte[] content = f.content().getBytes(StandardCharsets.UTF_8);
            Path p = Files.write(src.resolve(Sha256.of(content)), content);
            entries.add(new ReleaseManifest.Entry(f.path(), vault.add(p), content.length, f.layer(), f.component(),
                    f.mode()));
        }
        return entries;
    }

    Path object(String hash) {
        return vault.objectPath(hash);
    }

    Path manifest(String release) {
        return vault.root().resolve("manifests/" + release + ".json");
    }

    /** Writes {@code content} into an existing read-only file in place, as a corruption would. */
    static void overwrite(Path file, byte[] content) throws IOException {
        int mode = Modes.of(file);
        Modes.set(file, mode | 0200);
        Files.write(file, content);
        Modes.set(file, mode);
    }

    /** Runs {@code r} with owner write on a read-only Vault directory, as an intruder with the owner's rights could. */
    static void inWritable(Path dir, IoAction r) throws IOException {
        int mode = Modes.of(dir);
        Modes.set(dir, mode | 0200);
        try {
            r.run();
        } finally {
            Modes.set(dir, mode);
        }
    }

    interface IoAction {
        void run() throws IOException;
    }
}
