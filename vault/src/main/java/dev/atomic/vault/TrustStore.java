package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code keys/trusted/<name>.pub}: the public keys whose signatures the Vault accepts. Nothing else is trusted. */
public final class TrustStore {

    /** A trusted key, named after its file. */
    public record TrustedKey(String name, PublicKey key, String fingerprint) {
    }

    private static final long MAX_KEY_FILE = 16 * 1024;

    private final Vault vault;

    TrustStore(Vault vault) {
        this.vault = vault;
    }

    public Path directory() {
        return vault.root().resolve("keys/trusted");
    }

    /**
     * Every trusted key, sorted by name. A key file that cannot be read or could have been changed by others is an
     * error, not skipped: a damaged trust store must be noticed.
     */
    public List<TrustedKey> keys() throws IOException {
        List<TrustedKey> keys = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory(), "*.pub")) {
            for (Path p : s) {
                VaultGuard.checkFile(vault.root(), p);
                PublicKey k = Keys.parsePublic(SafeFiles.readBounded(p, MAX_KEY_FILE, "trusted key " + p), p);
                String file = p.getFileName().toString();
                keys.add(new TrustedKey(file.substring(0, file.length() - 4), k, Keys.fingerprint(k)));
            }
        }
        keys.sort((a, b) -> a.name().compareTo(b.name()));
        return keys;
    }

    /** Trusts {@code key} under {@code name}; trusting the same key again under its name changes nothing. */
    public TrustedKey trust(String name, PublicKey key) throws IOException {
        Keys.checkName(name);
        Path file = directory().resolve(name + ".pub");
        byte[] pem = Keys.publicPem(key);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            PublicKey existing = Keys.parsePublic(SafeFiles.readBounded(file, MAX_KEY_FILE, "trusted key " + file), file);
            if (!Arrays.equals(existing.getEncoded(), key.getEncoded())) {
                throw new VaultException("a different key is already trusted as '" + name + "' (" + file
                        + "); choose another name");
            }
        } else {
            try (WriteWindow w = vault.writeWindow(directory())) {
                SafeFiles.writeAtomically(file, pem, Modes.READ_ONLY_FILE);
            }
        }
        return new TrustedKey(name, key, Keys.fingerprint(key));
    }
}
