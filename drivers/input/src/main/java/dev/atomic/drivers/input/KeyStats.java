package dev.atomic.drivers.input;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

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
 * none coalesced) and their end-to-end latency, as a histogram in nanoseconds, with its three hops where the frame
 * carries their times: in the driver (the press to its send), to the Engine (the send to the Engine passing it on) and
 * from the Engine (to receipt here), which add up to it. Written whole to a properties file, so that two readings
 * can be subtracted: the latency of what arrived in between.
 */
public final class KeyStats {
    public static final String FILE = "input-sink.stats";

    /*
     * The lane thread records into Recorders (wait-free); the writer adds what they hold to its own histograms and
     * writes them under a lock of its own. Held across the encoding and the file's write, this object's lock would
     * stop the lane thread at its next press, for as long as the writer took (hundreds of ms seen on a loaded host).
     */
    private final Recorder latencyNow = new Recorder(3);
    private final Recorder[] hopsNow = {new Recorder(3), new Recorder(3), new Recorder(3)};
    private final Histogram latency = new Histogram(3);
    private final Histogram[] hops = {new Histogram(3), new Histogram(3), new Histogram(3)};
    private final Object writing = new Object();
    /** Guarded by this. */
    private long received;
    private long lastSequence = -1;
    private long gaps;
    private long reordered;
    private long coalesced;
    private long starts;
    private long malformed;

    /** @param sentNanos   when the driver sent it, 0 when the frame does not say
     *  @param forwardedNanos when the Engine passed it on, 0 when the frame does not say */
    synchronized void received(KeyEvent press, int count, long sentNanos, long forwardedNanos, long nowNanos) {
        received++;
        latencyNow.recordValue(Math.max(0, nowNanos - press.readNanos()));
        if (sentNanos != 0 && forwardedNanos != 0) {
            long[] at = {press.readNanos(), sentNanos, forwardedNanos, nowNanos};
            for (int hop = 0; hop < hopsNow.length; hop++) {
                hopsNow[hop].recordValue(Math.max(0, at[hop + 1] - at[hop]));
            }
        }
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
    void writeTo(Path file) throws IOException {
        Properties p = new Properties();
        synchronized (this) {
            p.setProperty("received", Long.toString(received));
            p.setProperty("lastSequence", Long.toString(lastSequence));
            p.setProperty("gaps", Long.toString(gaps));
            p.setProperty("reordered", Long.toString(reordered));
            p.setProperty("coalesced", Long.toString(coalesced));
            p.setProperty("starts", Long.toString(starts));
            p.setProperty("malformed", Long.toString(malformed));
        }
        synchronized (writing) {
            write(file, p);
        }
    }

    private void write(Path file, Properties p) throws IOException {
        p.setProperty("latencyNanos", encode(gather(latency, latencyNow)));
        for (Hop hop : Hop.values()) {
            p.setProperty(hop.key(), encode(gather(hops[hop.ordinal()], hopsNow[hop.ordinal()])));
        }
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try (Writer w = Files.newBufferedWriter(next)) {
            p.store(w, "key presses seen by input-sink");
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code total} with what {@code recorder} took since it was last gathered. */
    private static Histogram gather(Histogram total, Recorder recorder) {
        total.add(recorder.getIntervalHistogram());
        return total;
    }

    private static String encode(Histogram h) {
        ByteBuffer encoded = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(encoded);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(encoded.array(), length));
    }

    private static Histogram decode(Properties p, String key) throws DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(p.getProperty(key))),
                0);
    }

    /** A key press's hops, in the order it takes them. */
    public enum Hop {
        /** From the press to the driver's send. */
        IN_DRIVER,
        /** From the send to the Engine passing it on: its wait in the lane, the Engine's wake-up and its work. */
        TO_ENGINE,
        /** From the Engine to the sink's handler: the wait in the sink's lane and the sink's wake-up. */
        FROM_ENGINE;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT) + "Nanos";
        }
    }

    String summary() {
        String latencies;
        synchronized (writing) {
            gather(latency, latencyNow);
            latencies = "latency p50 " + micros(latency.getValueAtPercentile(50)) + " p99 "
                    + micros(latency.getValueAtPercentile(99)) + " max " + micros(latency.getMaxValue()) + " us";
        }
        synchronized (this) {
            return received + " key presses, " + latencies + "; " + gaps + " lost, " + reordered + " reordered, "
                    + coalesced + " coalesced";
        }
    }

    private static String micros(long nanos) {
        return String.format("%.1f", nanos / 1e3);
    }

    /** One reading of the file. */
    public record Snapshot(long received, long lastSequence, long gaps, long reordered, long coalesced,
                           long starts, long malformed, Histogram latency, Histogram[] hops) {

        public static Snapshot read(Path file) throws IOException {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            try {
                Histogram[] hops = new Histogram[Hop.values().length];
                for (Hop hop : Hop.values()) {
                    hops[hop.ordinal()] = decode(p, hop.key());
                }
                return new Snapshot(number(p, "received"), number(p, "lastSequence"), number(p, "gaps"),
                        number(p, "reordered"), number(p, "coalesced"), number(p, "starts"),
                        number(p, "malformed"), decode(p, "latencyNanos"), hops);
            } catch (DataFormatException | RuntimeException e) {
                throw new IOException(file + " is not a key-press record: " + e.getMessage(), e);
            }
        }

        private static long number(Properties p, String key) {
            return Long.parseLong(p.getProperty(key));
        }

        /** The latencies of the presses received after {@code earlier}, a reading of the same sink's file. */
        public Histogram latencySince(Snapshot earlier) {
            return since(latency, earlier.latency);
        }

        /** One hop's times for the presses received after {@code earlier}. */
        public Histogram hopSince(Hop hop, Snapshot earlier) {
            return since(hops[hop.ordinal()], earlier.hops[hop.ordinal()]);
        }

        private static Histogram since(Histogram now, Histogram then) {
            Histogram since = now.copy();
            since.subtract(then);
            return since;
        }
    }
}
