package dev.atomic.vault;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 names: of bytes, of files (never through a symbolic link), and their short form for people. */
public final class Sha256 {
    /** The size from which a file is hashed through libcrypto. */
    static final long NATIVE_FROM = 64 * 1024;

    private Sha256() {
    }

    public static String of(byte[] data) {
        return hex(digest().digest(data));
    }

    /**
     * Through libcrypto where it can be used ({@link LibCrypto}), else in Java: the same name either way. A file
     * under {@link #NATIVE_FROM} bytes is hashed in Java, which costs it less than the native calls' set-up.
     */
    public static String of(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (in.size() >= NATIVE_FROM) {
                java.util.Optional<byte[]> fast = LibCrypto.sha256(in);
                if (fast.isPresent()) {
                    return hex(fast.get());
                }
                in.position(0);
            }
            return inJava(in);
        }
    }

    static String inJava(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return inJava(in);
        }
    }

    private static String inJava(FileChannel in) throws IOException {
        MessageDigest md = digest();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        while (in.read(buf.clear()) >= 0) {
            md.update(buf.flip());
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
