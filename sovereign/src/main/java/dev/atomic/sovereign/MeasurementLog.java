package dev.atomic.sovereign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The boot's measurement log, in the style of the TCG event log: each stage's digest is recorded and extended into
 * a running register, {@code pcr = SHA-256(pcr || digest)}, starting from 32 zero bytes. The final value commits to
 * every stage in order: change one byte of one image, or the order of stages, and it changes.
 */
public final class MeasurementLog {
    /** One measured stage. */
    public record Event(int index, String stage, String description, String digest, String pcrAfter) {
    }

    /** What {@code atomic measurements} reads back. */
    public record Snapshot(String instance, List<Event> events, String finalDigest, String tpm) {
    }

    private static final HexFormat HEX = HexFormat.of();
    private final List<Event> events = new ArrayList<>();
    private byte[] pcr = new byte[32];

    /** Measures bytes: a spec, a manifest. */
    public void measure(String stage, String description, byte[] content) {
        extend(stage, description, sha256().digest(content));
    }

    /** Measures an image: a jar, or a directory of classes (its files in name order, each name and content). */
    public void measure(String stage, Path image) throws IOException {
        extend(stage, image.toString(), digest(image));
    }

    private void extend(String stage, String description, byte[] digest) {
        MessageDigest chain = sha256();
        chain.update(pcr);
        chain.update(digest);
        pcr = chain.digest();
        events.add(new Event(events.size(), stage, description, HEX.formatHex(digest), HEX.formatHex(pcr)));
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public String finalDigest() {
        return HEX.formatHex(pcr);
    }

    public void write(Path file, String instance, String tpm) throws IOException {
        Files.createDirectories(file.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), new Snapshot(instance, events(), finalDigest(), tpm));
    }

    public static Snapshot read(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), Snapshot.class);
    }

    static byte[] digest(Path image) throws IOException {
        MessageDigest d = sha256();
        if (Files.isDirectory(image)) {
            try (Stream<Path> files = Files.walk(image)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    d.update(image.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    d.update((byte) 0);
                    update(d, f);
                }
            }
        } else {
            update(d, image);
        }
        return d.digest();
    }

    private static void update(MessageDigest d, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
