package dev.atomic.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 names: of bytes, of files (never through a symbolic link), and their short form for people. */
public final class Sha256 {

    private Sha256() {
    }

    public static String of(byte[] data) {
        return hex(digest().digest(data));
    }

    /** Through libcrypto where it can be used ({@link LibCrypto}), else in Java: the same name either way. */
    public static String of(Path file) throws IOException {
        java.util.Optional<byte[]> fast = LibCrypto.sha256(file);
        if (fast.isPresent()) {
            return hex(fast.get());
        }
        return inJava(file);
    }

    static String inJava(Path file) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return hex(md.digest());
    }

    /** Exactly 64 lowercase hex digits: the only spelling the Vault accepts, so one object has one name. */
    public static boolean isHash(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The first 12 hex digits and an ellipsis: enough to tell objects apart in a report. */
    public static String brief(String hash) {
        return hash.length() <= 12 ? hash : hash.substring(0, 12) + "…";
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
