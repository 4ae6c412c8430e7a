package dev.atomic.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the demo app does with the file system driver's mount: every {@link #EVERY_MILLIS} it writes a file of
 * {@link #SIZE} bytes (their content follows from the file's number), then reads it back and compares, byte for
 * byte. A driver's crash must not show here: the mount stays, and the call under way waits for the restarted driver
 * to answer it. Whatever does show (an error, a file read back different) is counted and logged.
 */
final class MountJournal {
    static final long EVERY_MILLIS = 500;
    static final int SIZE = 256 << 10;
    /** Files are reused in turn, so the tree stays small however long it runs. */
    static final int FILES = 16;

    private final Path dir;
    private final PrintStream log;
    private long next;
    /** Counted by the thread that writes, read by the one that logs rounds: never blocked by a write waiting. */
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong intact = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    MountJournal(Path mount, PrintStream log) {
        this.dir = mount.resolve("demo-app");
        this.log = log;
    }

    /** Writes, reads back and checks one file; on one thread. */
    void once() {
        long n = next++;
        Path file = dir.resolve("journal-" + (n % FILES) + ".bin");
        byte[] bytes = content(n);
        try {
            Files.createDirectories(dir);
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            written.incrementAndGet();
            byte[] back = Files.readAllBytes(file);
            if (Arrays.equals(bytes, back)) {
                intact.incrementAndGet();
            } else {
                errors.incrementAndGet();
                log.println("demo-app: fs: " + file + " read back " + back.length + " byte(s) that differ from the "
                        + bytes.length + " written");
            }
        } catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            log.println("demo-app: fs: " + file + ": " + e);
        }
    }

    /** The round's line, and a new round. */
    String round() {
        return "fs: " + written.getAndSet(0) + " file(s) of " + (SIZE >> 10) + " KiB written and "
                + intact.getAndSet(0) + " read back intact in " + dir + ", " + errors.getAndSet(0) + " error(s)";
    }

    static byte[] content(long n) {
        byte[] b = new byte[SIZE];
        new SplittableRandom(n).nextBytes(b);
        return b;
    }
}
