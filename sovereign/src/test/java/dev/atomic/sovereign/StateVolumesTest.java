package dev.atomic.sovereign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A state directory becomes a file system of its own size: writing past it is refused there, and it comes back. */
class StateVolumesTest {
    private static final long SIZE = 8L << 20;

    @TempDir
    Path home;

    @Test
    void writesPastTheStateSizeAreRefusedAndTheDataOutlivesAnUnmount() throws Exception {
        StateVolumes volumes = StateVolumes.probe(isRoot());
        assumeTrue(volumes.unavailable() == null, "needs root, loop devices and mkfs.ext4: " + volumes.unavailable());
        Path dir = home.resolve("state").resolve("i").resolve("filler");
        try (volumes) {
            assertEquals(Optional.empty(), volumes.mount(dir, SIZE));
            assertTrue(StateVolumes.mountedAt(dir));
            assertEquals(Optional.empty(), volumes.mount(dir, SIZE), "mounted already: used as it is");
            Files.writeString(dir.resolve("kept"), "state");
            IOException full = assertThrows(IOException.class, () -> {
                try (OutputStream out = Files.newOutputStream(dir.resolve("fill"))) {
                    byte[] chunk = new byte[1 << 20];
                    for (int i = 0; i < 64; i++) {
                        out.write(chunk);
                    }
                }
            });
            assertTrue(full.getMessage().contains("No space left"), full.toString());
            assertTrue(Files.size(dir.resolve("fill")) < SIZE);
            assertTrue(Files.size(home.resolve("state/i/filler.volume")) == SIZE);
        }
        assertFalse(StateVolumes.mountedAt(dir), "unmounted at close");
        assertFalse(Files.exists(dir.resolve("kept")), "under the mount point: the volume's files are in the volume");
        StateVolumes killed = StateVolumes.probe(true); // a Sovereign that never gets to close them
        assertEquals(Optional.empty(), killed.mount(dir, SIZE));
        assertEquals("state", Files.readString(dir.resolve("kept")), "the next boot finds its state");
        try (StateVolumes next = StateVolumes.probe(true)) {
            assertEquals(Optional.empty(), next.mount(dir, SIZE), "taken over as it is");
        }
        assertFalse(StateVolumes.mountedAt(dir), "the boot that took it over unmounts it");
        assertEquals(Optional.empty(), StateVolumes.probe(true).mount(dir, SIZE));
        StateVolumes.unmountAllUnder(home);
        assertFalse(StateVolumes.mountedAt(dir), "nothing left mounted under the home");
    }

    @Test
    void aDirectoryAlreadyHoldingFilesIsLeftAsItIsAndSaysSo() throws Exception {
        StateVolumes volumes = StateVolumes.probe(isRoot());
        assumeTrue(volumes.unavailable() == null, "needs root, loop devices and mkfs.ext4: " + volumes.unavailable());
        Path dir = Files.createDirectories(home.resolve("old"));
        Files.writeString(dir.resolve("data"), "x");
        try (volumes) {
            assertTrue(volumes.mount(dir, SIZE).orElseThrow().contains("already holds files"));
            assertFalse(StateVolumes.mountedAt(dir));
        }
    }

    @Test
    void withoutRootTheyAreNotMadeAndTheReportSaysSo() {
        StateVolumes volumes = StateVolumes.probe(false);
        assertTrue(volumes.describe().contains("NOT bounded (not root)"), volumes.describe());
        assertEquals(Optional.of("not root"), volumes.mount(home.resolve("x"), SIZE));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
