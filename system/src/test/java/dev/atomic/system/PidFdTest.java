package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PidFdTest {

    @Test
    void seesAChildAliveKillsItAndNoticesItsExit() throws Exception {
        java.lang.Process sleep = new ProcessBuilder("sleep", "30").start();
        try (PidFd pidfd = PidFd.open(sleep.pid())) {
            assertEquals(sleep.pid(), pidfd.pid());
            assertFalse(pidfd.hasExited());
            assertFalse(pidfd.awaitExit(Duration.ofMillis(50)));

            pidfd.sendSignal(Signals.SIGKILL);
            long start = System.nanoTime();
            assertTrue(pidfd.awaitExit(Duration.ofSeconds(2)));
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
            assertTrue(pidfd.hasExited());

            assertTrue(sleep.waitFor(2, TimeUnit.SECONDS));
            assertEquals(128 + Signals.SIGKILL, sleep.exitValue());
            // Reaped now: its pid may be reused, but the pidfd still means the dead process.
            SyscallException e = assertThrows(SyscallException.class, () -> pidfd.sendSignal(Signals.SIGKILL));
            assertEquals("ESRCH", e.errnoName());
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void worksOnAProcessThatIsNotOurChild() throws Exception {
        java.lang.Process shell = new ProcessBuilder("sh", "-c", "sleep 30 & echo $!; wait").start();
        try {
            long grandchild = Long.parseLong(
                    new BufferedReader(new InputStreamReader(shell.getInputStream())).readLine().strip());
            try (PidFd pidfd = PidFd.open(grandchild)) {
                assertFalse(pidfd.hasExited());
                pidfd.sendSignal(Signals.SIGTERM);
                assertTrue(pidfd.awaitExit(Duration.ofSeconds(2)));
            }
            assertTrue(shell.waitFor(2, TimeUnit.SECONDS), "the shell saw its child die");
        } finally {
            shell.destroyForcibly();
        }
    }

    @Test
    void theDescriptorIsReadableInAPollSetBesideOthers() throws Exception {
        java.lang.Process sleep = new ProcessBuilder("sleep", "30").start();
        try (PidFd pidfd = PidFd.open(sleep.pid()); EventFd idle = EventFd.create()) {
            int[] fds = {idle.fd(), pidfd.fd()};
            boolean[] ready = new boolean[2];
            assertEquals(0, Poll.poll(fds, 0, ready));
            sleep.destroyForcibly();
            assertEquals(1, Poll.poll(fds, 2000, ready));
            assertTrue(ready[1]);
            assertFalse(ready[0]);
        } finally {
            sleep.destroyForcibly();
        }
    }
}
