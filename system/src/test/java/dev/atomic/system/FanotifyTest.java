package dev.atomic.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FanotifyTest {
    @TempDir
    Path dir;

    @Test
    void anOpenOfAWatchedFileWaitsForTheVerdict() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "fanotify permission events need CAP_SYS_ADMIN");
        Path decoy = Files.writeString(dir.resolve("shadow"), "nothing here");
        Path quiet = Files.writeString(dir.resolve("other"), "not watched");
        Path vault = Files.createDirectory(dir.resolve("vault"));
        List<String> seen = new CopyOnWriteArrayList<>();
        boolean[] allow = {false};
        try (Fanotify group = Fanotify.create()) {
            group.watch(decoy);
            group.watch(vault);
            Thread server = Thread.ofPlatform().start(() -> group.serve(open -> {
                try {
                    seen.add(open.pid() + " " + Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(open.fd()))));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return allow[0];
            }));
            FileSystemException denied = assertThrows(FileSystemException.class, () -> Files.readString(decoy));
            assertTrue(String.valueOf(denied.getReason()).contains("not permitted"), denied.toString());
            assertThrows(FileSystemException.class, () -> Files.list(vault).close());
            assertEquals("not watched", Files.readString(quiet));
            allow[0] = true;
            assertEquals("nothing here", Files.readString(decoy));
            group.stop();
            server.join();
        }
        long pid = ProcessHandle.current().pid();
        assertEquals(List.of(pid + " " + decoy, pid + " " + vault, pid + " " + decoy), seen);
    }

    @Test
    void closingAGroupWhileItIsServedEndsTheServerQuietly() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "fanotify permission events need CAP_SYS_ADMIN");
        Fanotify group = Fanotify.create();
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread server = Thread.ofPlatform().start(() -> {
            try {
                group.serve(open -> false);
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        Thread.sleep(250); // polling by now
        group.close();
        server.join(5_000);
        assertEquals(false, server.isAlive(), "the server left");
        assertEquals(null, failed.get(), "it never polled a closed descriptor");
        assertTrue(Files.notExists(Path.of("/proc/self/fd", Integer.toString(group.fd())))
                || !Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(group.fd()))).toString()
                .contains("fanotify"), "and the group's descriptor is closed");
    }
}
