package dev.atomic.drivers.sensor;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/** What {@link SensorSink} received: event frames, the readings they stand for, and how many frames were coalesced. */
public final class ReadingStats {
    public static final String FILE = "sensor-sink.stats";

    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong readings = new AtomicLong();
    private final AtomicLong coalescedFrames = new AtomicLong();

    void received(int count) {
        frames.incrementAndGet();
        readings.addAndGet(count);
        if (count > 1) {
            coalescedFrames.incrementAndGet();
        }
    }

    /** Replaces the file whole: a reader never sees half of it. */
    void writeTo(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("frames", Long.toString(frames.get()));
        p.setProperty("readings", Long.toString(readings.get()));
        p.setProperty("coalescedFrames", Long.toString(coalescedFrames.get()));
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try (Writer w = Files.newBufferedWriter(next)) {
            p.store(w, "readings seen by sensor-sink");
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** One reading of the file. */
    public record Snapshot(long frames, long readings, long coalescedFrames) {
        public static Snapshot read(Path file) throws IOException {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
            try {
                return new Snapshot(Long.parseLong(p.getProperty("frames")), Long.parseLong(p.getProperty("readings")),
                        Long.parseLong(p.getProperty("coalescedFrames")));
            } catch (RuntimeException e) {
                throw new IOException(file + " is not a readings record: " + e.getMessage(), e);
            }
        }
    }
}
