package dev.atomic.vault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ed25519 keys as the JDK makes them (no library: the JDK has had Ed25519 since 15). Private keys are PKCS#8,
 * public keys X.509 SubjectPublicKeyInfo, both written as PEM and read as PEM or DER.
 */
public final class Keys {

    /** The files {@link #keygen} wrote and the public key's fingerprint. */
    public record KeyFiles(Path privateKey, Path publicKey, String fingerprint) {
    }

    static final String ALGORITHM = "Ed25519";
    private static final long MAX_KEY_FILE = 16 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK since 15 has Ed25519", e);
        }
    }

    /**
     * Writes a new key pair to {@code dir}: {@code name.key} (mode 0400, only its owner may read it) and
     * {@code name.pub}. Existing files are never overwritten.
     */
    public static KeyFiles keygen(Path dir, String name) throws IOException {
        checkName(name);
        Files.createDirectories(dir);
        Path priv = dir.resolve(name + ".key");
        Path pub = dir.resolve(name + ".pub");
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new VaultException("key file " + p + " already exists: keys are never overwritten; choose "
                        + "another name");
            }
        }
        KeyPair pair = generate();
        write(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), 0400);
        write(pub, publicPem(pair.getPublic()), 0444);
        return new KeyFiles(priv, pub, fingerprint(pair.getPublic()));
    }

    /** Reads a private key that only its owner can read, as ssh does: a key others could read is compromised. */
    public static PrivateKey readPrivate(Path file) throws IOException {
        int mode = Modes.of(file);
        if ((mode & 0077) != 0) {
            throw new VaultException("private key " + file + " can be read or changed by others (mode "
                    + Modes.octal(mode) + "): refusing to use it; fix with chmod 0400 " + file);
        }
        byte[] der = der(SafeFiles.readBounded(file, MAX_KEY_FILE, "key file " + file), "PRIVATE KEY", file);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new VaultException(file + " is not an Ed25519 private key (PKCS#8): " + e.getMessage(), e);
        }
    }

    public static PublicKey readPublic(Path file) throws IOException {
        return parsePublic(SafeFiles.readBounded(file, MAX_KEY_FILE, "key file " + file), file);
    }

    static PublicKey parsePublic(byte[] content, Path source) {
        byte[] der = der(content, "PUBLIC KEY", source);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new VaultException(source + " is not an Ed25519 public key (X.509): " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the key's X.509 encoding: what signatures name their key by. */
    public static String fingerprint(PublicKey key) {
        return Sha256.of(key.getEncoded());
    }

    static byte[] publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new VaultException("key name '" + name + "' must be 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** PEM if the file starts like PEM, else DER as is. */
    private static byte[] der(byte[] content, String type, Path source) {
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith("-----BEGIN")) {
            return content;
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        if (!text.startsWith(begin) || !text.endsWith(end)) {
            throw new VaultException(source + " is PEM but not a '" + type + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(begin.length(), text.length() - end.length()));
        } catch (IllegalArgumentException e) {
            throw new VaultException(source + " holds broken base64: " + e.getMessage(), e);
        }
    }

    private static void write(Path p, byte[] data, int mode) throws IOException {
        // Created owner-only, so no other process can open a private key before its final mode is set.
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        try (FileChannel ch = FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly)) {
            ByteBuffer bb = ByteBuffer.wrap(data);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
            Modes.set(p, mode);
            ch.force(true);
        }
    }
}
