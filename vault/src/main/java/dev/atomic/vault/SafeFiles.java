package dev.atomic.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;

/** Writes that are all-or-nothing (temp file, fsync, rename) and reads that never follow a link or run unbounded. */
public final class SafeFiles {

    /** What a hashing copy wrote: the content's SHA-256 and its length. */
    record Copy(String sha256, long size) {
    }

    private SafeFiles() {
    }

    /** Reads at most {@code max} bytes of {@code file}; a larger file is refused before it can exhaust memory. */
    static byte[] readBounded(Path file, long max, String what) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (data.length > max) {
                throw new VaultException(what + " is larger than " + describe(max) + ": refused");
            }
            return data;
        }
    }

    /**
     * Copies {@code in} into the new file {@code target}, hashing what is written, stopping after {@code limit + 1}
     * bytes so an oversized source shows as such without being read to its end. The file gets {@code mode} and is
     * fsynced before this returns.
     */
    static Copy copy(InputStream in, Path target, long limit, int mode) throws IOException {
        MessageDigest md = Sha256.digest();
        long size = 0;
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buf = new byte[1 << 16];
            while (size <= limit) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, limit + 1 - size));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                size += n;
            }
            Modes.set(target, mode);
            out.force(true);
        }
        return new Copy(Sha256.hex(md.digest()), size);
    }

    /** Replaces {@code target} by {@code data} in one rename: a reader sees the old file or the new one, never a part. */
    public static void writeAtomically(Path target, byte[] data, int mode) throws IOException {
        Path temp = tempBeside(target);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bb = ByteBuffer.wrap(data);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                Modes.set(temp, mode);
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(target.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** A fresh name in {@code target}'s directory, so the final rename stays within one file system. */
    static Path tempBeside(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".atomic-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** Makes a rename or a new entry in {@code dir} survive a crash. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Deletes a tree without following symbolic links out of it. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static String describe(long bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? bytes / (1 << 20) + " MiB" : bytes + " bytes";
    }
}
