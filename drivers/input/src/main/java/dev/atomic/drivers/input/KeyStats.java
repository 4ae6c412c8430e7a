package dev.atomic.drivers.input;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Properties;
import java.util.zip.DataFormatException;

/**
 * What {@link InputSink} saw of the key presses: how many, whether their sequence held (no gap, nothing reordered,
 * none coalesced) and their end-to-end latency, as a histogram in nanoseconds. Written whole to a properties file,
 * so that two readings can be subtracted: the latency of what arrived in between.
 */
public final class KeyStats {
    public static final String FILE = "input-sink.stats";

    private final Histogram latency = new Histogram(3);
    private long received;
    private long lastSequence = -1;
    private long gaps;
    private long reordered;
    private long coalesced;
    private long starts;
    private long malformed;

    synchronized void received(KeyEvent press, int count, long nowNanos) {
        received++;
        latency.recordValue(Math.max(0, nowNanos - press.readNanos()));
        if (count != 1) {
            coalesced++; // a critical event must never be: the Engine would have merged key presses
        }
        long expected = lastSequence + 1;
        if (press.sequence() == 0 || lastSequence < 0) {
            starts++; // the first press this sink saw, or a restarted driver's first
        } else if (press.sequence() > expected) {
            gaps += press.sequence() - expected;
        } else if (press.sequence() < expected) {
            reordered++;
        }
        lastSequence = press.sequence();
    }

    synchronized void malformed() {
        malformed++;
    }

    /** Replaces the file whole: a reader never sees half of it. */
    synchronized void writeTo(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("received", Long.toString(received));
        p.setProperty("lastSequence", Long.toString(lastSequence));
        p.setProperty("gaps", Long.toString(gaps));
        p.setProperty("reordered", Long.toString(reordered));
        p.setProperty("coalesced", Long.toString(coalesced));
        p.setProperty("starts", Long.toString(starts));
        p.setProperty("malformed", Long.toString(malformed));
        ByteBuffer encoded = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int length = latency.encodeIntoCompressedByteBuffer(encoded);
        p.setProperty("latencyNanos", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(encoded.array(),
                length)));
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try (Writer w = Files.newBufferedWriter(next)) {
            p.store(w, "key presses seen by input-sink");
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    synchronized String summary() {
        return received + " key presses, latency p50 " + micros(latency.getValueAtPercentile(50)) + " p99 "
                + micros(latency.getValueAtPercentile(99)) + " max " + micros(latency.getMaxValue()) + " us; "
                + gaps + " lost, " + reordered + " reordered, " + coalesced + " coalesced";
    }

    private static String micros(long nanos) {
        return String.format("%.1f", nanos / 1e3);
    }

    /** One reading of the file. */
    public record Snapshot(long received, long lastSequence, long gaps, long reordered, long coalesced,
                           long starts, long malformed, Histogram latency) {

        public static Snapshot read(Path file) throws IOException {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            try {
                Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder()
                        .decode(p.getProperty("latencyNanos"))), 0);
                return new Snapshot(number(p, "received"), number(p, "lastSequence"), number(p, "gaps"),
                        number(p, "reordered"), number(p, "coalesced"), number(p, "starts"),
                        number(p, "malformed"), h);
            } catch (DataFormatException | RuntimeException e) {
                throw new IOException(file + " is not a key-press record: " + e.getMessage(), e);
            }
        }

        private static long number(Properties p, String key) {
            return Long.parseLong(p.getProperty(key));
        }

        /** The latencies of the presses received after {@code earlier}, a reading of the same sink's file. */
        public Histogram latencySince(Snapshot earlier) {
            Histogram since = latency.copy();
            since.subtract(earlier.latency);
            return since;
        }
    }
}
