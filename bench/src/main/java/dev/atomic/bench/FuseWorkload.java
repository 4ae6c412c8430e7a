package dev.atomic.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What an application does to a file system in {@code atomic bench fuse} and FuseEndToEndTest: extract a tar archive
 * of a few hundred files with {@code tar}, check every extracted file's SHA-256 against the original, then write
 * files and read them back, checking their SHA-256. Everything that goes wrong is an application-visible error,
 * counted and described, never thrown: a tar that fails, a file that differs, an I/O error.
 */
public final class FuseWorkload {
    private static final int CHUNK = 64 * 1024;
    private static final long TAR_SECONDS = 300;

    /** One round's outcome: bytes moved through the file system (extracted, checked, written, read back). */
    public record Round(long bytes, long nanos, List<String> errors) {
    }

    private final Path source;
    private final Path archive;
    private final Map<String, String> digests;
    private final int files;
    private final int fileBytes;

    private FuseWorkload(Path source, Path archive, Map<String, String> digests, int files, int fileBytes) {
        this.source = source;
        this.archive = archive;
        this.digests = digests;
        this.files = files;
        this.fileBytes = fileBytes;
    }

    /**
     * Makes the archive under {@code dir} (outside the file system tested): {@code entries} files of 0 to 32 KiB in
     * nested directories, from {@code seed}; each round then writes {@code files} files of {@code fileBytes}.
     */
    public static FuseWorkload prepare(Path dir, int entries, int files, int fileBytes, long seed) throws IOException {
        Path source = dir.resolve("source");
        Random random = new Random(seed);
        Map<String, String> digests = new TreeMap<>();
        for (int i = 0; i < entries; i++) {
            String name = "d" + (i % 7) + "/e" + (i % 5) + "/file-" + i + (i % 3 == 0 ? ".txt" : ".bin");
            byte[] data = new byte[random.nextInt(32 * 1024 + 1)];
            random.nextBytes(data);
            Path p = source.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, data);
            digests.put(name, sha256(data));
        }
        Path archive = dir.resolve("workload.tar");
        String failed = run(List.of("tar", "-C", source.toString(), "-cf", archive.toString(), "."));
        if (failed != null) {
            throw new IOException("making the workload's archive: tar " + failed);
        }
        return new FuseWorkload(source, archive, digests, files, fileBytes);
    }

    /** One round in the fresh directory {@code into} (on the file system tested). */
    public Round run(Path into, long seed) {
        long start = System.nanoTime();
        List<String> errors = new ArrayList<>();
        long bytes = 0;
        try {
            Files.createDirectories(into);
            String tar = run(List.of("tar", "-C", into.toString(), "--no-same-owner", "-xf", archive.toString()));
            if (tar != null) {
                errors.add("tar: " + tar);
            }
            bytes += Files.size(archive);
        } catch (IOException e) {
            errors.add("extracting: " + e);
        }
        for (Map.Entry<String, String> e : digests.entrySet()) {
            try {
                byte[] data = Files.readAllBytes(into.resolve(e.getKey()));
                bytes += data.length;
                if (!sha256(data).equals(e.getValue())) {
                    errors.add(e.getKey() + ": extracted with other bytes than archived");
                }
            } catch (IOException x) {
                errors.add(e.getKey() + ": " + x);
            }
        }
        Random random = new Random(seed);
        Map<Path, String> written = new TreeMap<>();
        for (int i = 0; i < files; i++) {
            Path p = into.resolve("written-" + i + ".bin");
            byte[] chunk = new byte[CHUNK];
            MessageDigest digest = digest();
            try (OutputStream out = Files.newOutputStream(p)) {
                for (int done = 0; done < fileBytes; done += CHUNK) {
                    random.nextBytes(chunk);
                    int n = Math.min(CHUNK, fileBytes - done);
                    out.write(chunk, 0, n);
                    digest.update(chunk, 0, n);
                }
                written.put(p, HexFormat.of().formatHex(digest.digest()));
                bytes += fileBytes;
            } catch (IOException e) {
                errors.add(p.getFileName() + ": writing: " + e);
            }
        }
        for (Map.Entry<Path, String> e : written.entrySet()) {
            MessageDigest digest = digest();
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = Files.newInputStream(e.getKey())) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    bytes += n;
                }
                if (!HexFormat.of().formatHex(digest.digest()).equals(e.getValue())) {
                    errors.add(e.getKey().getFileName() + ": read back other bytes than written");
                }
            } catch (IOException x) {
                errors.add(e.getKey().getFileName() + ": reading back: " + x);
            }
        }
        return new Round(bytes, System.nanoTime() - start, errors);
    }

    /** How many files the archive holds. */
    public int entries() {
        return digests.size();
    }

    Path source() {
        return source;
    }

    /** Runs a command; null when it succeeded, else its status and output. */
    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(TAR_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "did not finish within " + TAR_SECONDS + " s";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return p.exitValue() == 0 && output.isEmpty() ? null : "status " + p.exitValue() + ": " + output;
    }

    private static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
