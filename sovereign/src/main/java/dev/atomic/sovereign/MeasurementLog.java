package dev.atomic.sovereign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atomic.system.tpm.Tpm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The boot's measurement log, in the style of the TCG event log: each stage's digest is recorded and extended into
 * a running register, {@code pcr = SHA-256(pcr || digest)}, starting from 32 zero bytes. The final value commits to
 * every stage in order: change one byte of one image, or the order of stages, and it changes. Where a TPM is at
 * hand, the same digests are extended into one of its PCRs, which is never reset: the log then records the PCR's
 * value before, the value the chain predicts from it, and the value the TPM reads back.
 */
public final class MeasurementLog {
    /** One measured stage. */
    public record Event(int index, String stage, String description, String digest, String pcrAfter) {
    }

    /**
     * The log extended into a TPM PCR (SHA-256 bank). {@code expected} is {@code before} extended with every event's
     * digest in order; {@code matched} says whether the TPM read back exactly that.
     */
    public record Pcr(int index, String device, String before, String expected, String after, boolean matched) {
    }

    /** What {@code atomic measurements} reads back; {@code pcr} is null when the log went into no TPM. */
    public record Snapshot(String instance, List<Event> events, String finalDigest, String tpm, Pcr pcr) {
    }

    private static final HexFormat HEX = HexFormat.of();
    private final List<Event> events = new ArrayList<>();
    private byte[] pcr = new byte[32];
    private Pcr extended;

    /** Measures bytes: a spec, a manifest. */
    public void measure(String stage, String description, byte[] content) {
        extend(stage, description, sha256().digest(content));
    }

    /** Measures an image: a jar, or a directory of classes (its files in name order, each name and content). */
    public void measure(String stage, Path image) throws IOException {
        extend(stage, image.toString(), digest(image));
    }

    private void extend(String stage, String description, byte[] digest) {
        pcr = chain(pcr, digest);
        events.add(new Event(events.size(), stage, description, HEX.formatHex(digest), HEX.formatHex(pcr)));
    }

    /** What a PCR holding {@code register} holds once extended with {@code digest}. */
    private static byte[] chain(byte[] register, byte[] digest) {
        MessageDigest chain = sha256();
        chain.update(register);
        chain.update(digest);
        return chain.digest();
    }

    /**
     * Extends every event's digest, in order, into PCR {@code index} of the TPM, and reads it back. A failure part
     * way says how many digests the PCR got.
     */
    public Pcr extendInto(Tpm tpm, int index) throws IOException {
        byte[] before = tpm.pcrRead(index);
        byte[] expected = before;
        for (Event e : events) {
            byte[] digest = HEX.parseHex(e.digest());
            try {
                tpm.pcrExtend(index, digest);
            } catch (IOException failure) {
                throw new IOException(failure.getMessage() + " (PCR " + index + " got " + e.index() + " of the "
                        + events.size() + " digests)", failure);
            }
            expected = chain(expected, digest);
        }
        byte[] after = tpm.pcrRead(index);
        extended = new Pcr(index, tpm.name(), HEX.formatHex(before), HEX.formatHex(expected), HEX.formatHex(after),
                Arrays.equals(expected, after));
        return extended;
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
                .writeValue(file.toFile(), new Snapshot(instance, events(), finalDigest(), tpm, extended));
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
