package dev.atomic.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The last checkpoint of each checkpointed component, kept where both its crash and the Engine's survive: in the
 * Engine's memory for its own restarts, and in a file, {@code <home>/checkpoints/<instance>/<id>.ckpt}, for an Engine
 * that takes over. Not in the component's state directory: the component (as nobody) may write there, and an
 * Engine following a link it planted would read or write any file as root. Not in the Sovereign's memory: that is
 * sized once at boot, a checkpoint up to a frame's size (128 KiB) per component. A file is written whole to a
 * temporary name, forced to disk and renamed over the old one, so a crash at any point leaves the old or the new,
 * never a mix; it carries a CRC32C, so a torn or altered file is refused rather than restored. Files are written on
 * a thread of their own: the duty cycle never waits for a disk.
 */
final class Checkpoints implements AutoCloseable {
    private static final long MAGIC = 0x31504B434D4F5441L; // "ATOMCKP1"
    private static final int HEADER = 24;

    private final Path dir;
    private final byte[][] last;
    private final Consumer<String> say;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("checkpoints").unstarted(r));

    Checkpoints(Path dir, int slots, Consumer<String> say) {
        this.dir = dir;
        this.last = new byte[slots][];
        this.say = say;
    }

    /**
     * {@code <home>/checkpoints/<instance>} beside {@code <home>/logs/<instance>}; for a log directory elsewhere (a
     * rehearsal's), a directory inside it.
     */
    static Path dirFor(Path logDir) {
        return beside(logDir, "checkpoints");
    }

    /**
     * {@code <home>/<what>/<instance>} beside {@code <home>/logs/<instance>}, as the Sovereign lays a home out; for a
     * log directory elsewhere (a rehearsal's), {@code <what>} inside it.
     */
    static Path beside(Path logDir, String what) {
        Path parent = logDir.toAbsolutePath().getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("logs")
                ? parent.resolveSibling(what).resolve(logDir.getFileName()) : logDir.resolve(what);
    }

    /** A booting Engine starts clean: a checkpoint is given back after a restart within the boot, not across boots. */
    void forgetAll() {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().matches(".*\\.ckpt(\\.new)?")) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing kept yet
        } catch (IOException e) {
            say.accept("could not clear the checkpoints in " + dir + ": " + e.getMessage());
        }
    }

    /** A component handed over its state. */
    void put(Member m, byte[] state) {
        last[m.slot] = state;
        Path file = file(m);
        writer.execute(() -> {
            try {
                write(file, state);
            } catch (IOException e) {
                say.accept("could not keep " + m.spec.id() + "'s checkpoint in " + file + ": " + e.getMessage());
            }
        });
    }

    /** The last state the component handed over, from memory or, for an Engine that took over, its file; or null. */
    byte[] get(Member m) {
        if (last[m.slot] == null) {
            try {
                last[m.slot] = read(file(m));
            } catch (IOException e) {
                say.accept("not restoring " + m.spec.id() + "'s checkpoint: " + e.getMessage());
            }
        }
        return last[m.slot];
    }

    private Path file(Member m) {
        return dir.resolve(m.spec.id() + ".ckpt");
    }

    static void write(Path file, byte[] state) throws IOException {
        Files.createDirectories(file.getParent(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(state);
        header.putLong(MAGIC).putInt(state.length).putInt((int) crc.getValue()).putLong(0).flip();
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(new ByteBuffer[]{header, ByteBuffer.wrap(state)});
            out.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            d.force(true); // the rename itself reaches the disk
        }
    }

    /** The state a file holds; null when there is none; refused when it is not whole. */
    static byte[] read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < HEADER || in.getLong() != MAGIC || in.getInt() != all.length - HEADER) {
            throw new IOException(file + " is not a whole checkpoint");
        }
        int expected = in.getInt();
        CRC32C crc = new CRC32C();
        crc.update(all, HEADER, all.length - HEADER);
        if ((int) crc.getValue() != expected) {
            throw new IOException(file + " fails its checksum");
        }
        return java.util.Arrays.copyOfRange(all, HEADER, all.length);
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
