package dev.atomic.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A checkpoint file is whole or refused, and lives beside the logs, outside every component's view. */
class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointIsReadBackAsWrittenAndReplacedWhole() throws IOException {
        Path file = dir.resolve("c").resolve("counter.ckpt");
        assertNull(Checkpoints.read(file), "none yet");
        Checkpoints.write(file, new byte[]{1, 2, 3});
        Checkpoints.write(file, "the newer state".getBytes());
        assertArrayEquals("the newer state".getBytes(), Checkpoints.read(file));
        assertFalse(Files.exists(file.resolveSibling("counter.ckpt.new")), "the temporary name is renamed away");
    }

    @Test
    void aTornOrAlteredFileIsRefused() throws IOException {
        Path file = dir.resolve("counter.ckpt");
        Checkpoints.write(file, "0123456789".getBytes());
        byte[] all = Files.readAllBytes(file);
        all[all.length - 1] ^= 1;
        Files.write(file, all);
        assertEquals(file + " fails its checksum", assertThrows(IOException.class, () -> Checkpoints.read(file))
                .getMessage());
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 3));
        assertEquals(file + " is not a whole checkpoint", assertThrows(IOException.class,
                () -> Checkpoints.read(file)).getMessage());
    }

    @Test
    void theDirectoryIsTheHomesCheckpointsBesideItsLogs() {
        assertEquals(Path.of("/var/lib/atomic/checkpoints/atomic"),
                Checkpoints.dirFor(Path.of("/var/lib/atomic/logs/atomic")));
        assertEquals(dir.resolve("rehearsal").resolve("checkpoints"), Checkpoints.dirFor(dir.resolve("rehearsal")));
    }
}
