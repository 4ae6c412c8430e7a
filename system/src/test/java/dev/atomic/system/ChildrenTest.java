package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildrenTest {

    /** The subreaper case: an orphan adopted by this JVM, which the JDK's own reaper knows nothing about. */
    @Test
    void anAdoptedOrphanIsSeenExitedThenReaped() throws Exception {
        boolean wasSubreaper = Prctl.isChildSubreaper();
        Prctl.setChildSubreaper(true);
        long orphan = 0;
        try {
            java.lang.Process shell = new ProcessBuilder("sh", "-c", "sleep 3 & echo $!").start();
            orphan = Long.parseLong(new BufferedReader(new InputStreamReader(shell.getInputStream())).readLine().strip());
            assertTrue(shell.waitFor(2, TimeUnit.SECONDS));
            assertEquals(Proc.pid(), parentOf(orphan), "adopted by this JVM");
            assertFalse(Children.reap(orphan), "still running");

            long deadline = System.nanoTime() + 15_000_000_000L;
            long seen = 0;
            while (seen != orphan && System.nanoTime() < deadline) {
                Thread.sleep(10);
                seen = Children.peekExited();
            }
            assertEquals(orphan, seen);
            assertEquals(orphan, Children.peekExited(), "peeking does not reap");
            assertTrue(Files.exists(Path.of("/proc/" + orphan)), "a zombie until reaped");

            assertTrue(Children.reap(orphan));
            assertFalse(Files.exists(Path.of("/proc/" + orphan)));
            assertFalse(Children.reap(orphan), "no longer our child");
        } finally {
            if (orphan > 0) {
                Signals.kill(orphan, Signals.SIGKILL);
                Children.reap(orphan);
            }
            Prctl.setChildSubreaper(wasSubreaper);
        }
    }

    @Test
    void nothingToPeekIsZero() {
        // Children of other tests are reaped by the JDK right away, so none lingers here.
        assertEquals(0, Children.peekExited());
    }

    private static long parentOf(long pid) throws Exception {
        String line = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("PPid:")).findFirst().orElseThrow();
        return Long.parseLong(line.substring(5).strip());
    }
}
