package dev.atomic.sovereign;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchdog's decision, case by case (a stuck busy loop cannot be provoked in a real Engine without a hook in
 * its code), and its reading of real processes: one stopped, one spinning.
 */
class WatchdogTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Watchdog.Stat IDLE = new Watchdog.Stat(false, 1_000 * MS);

    @Test
    void anEngineBusyWithoutBeatingIsStalled() {
        Watchdog.Stat spun = new Watchdog.Stat(false, IDLE.cpuNanos() + 290 * MS);
        assertEquals("running without beating", Watchdog.verdict(600 * MS, IDLE, 0, spun, 300 * MS));
    }

    @Test
    void busyForTooShortAWhileIsNotJudgedYet() {
        Watchdog.Stat spun = new Watchdog.Stat(false, IDLE.cpuNanos() + 100 * MS);
        assertNull(Watchdog.verdict(600 * MS, IDLE, 0, spun, 100 * MS));
    }

    @Test
    void anEngineWaitingForACpuIsGivenTheHardLimit() {
        Watchdog.Stat starved = new Watchdog.Stat(false, IDLE.cpuNanos() + 30 * MS);
        assertNull(Watchdog.verdict(1_500 * MS, IDLE, 0, starved, 300 * MS), "busy a tenth of the time: not stuck");
        assertEquals("silent", Watchdog.verdict(Watchdog.HARD_STALL_NANOS + MS, IDLE, 0, starved, 300 * MS));
    }

    @Test
    void aStoppedEngineIsStalledWhateverItsCpuTime() {
        assertEquals("stopped", Watchdog.verdict(300 * MS, IDLE, 0, new Watchdog.Stat(true, IDLE.cpuNanos()), 10 * MS));
    }

    @Test
    void aRecentHeartbeatOrAnEngineNotReadyIsNeverLookedAt() {
        Watchdog dog = new Watchdog();
        long now = System.nanoTime();
        long self = ProcessHandle.current().pid();
        assertNull(dog.look(self, now - 10 * MS, true, now));
        assertNull(dog.look(self, now - 10 * Watchdog.HARD_STALL_NANOS, false, now), "not ready: starting or stopping");
        assertNull(dog.look(self, 0, true, now), "no heartbeat yet");
    }

    @Test
    void aStoppedProcessIsSeenStoppedAtTheSecondLook() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            Watchdog dog = new Watchdog();
            long beat = System.nanoTime() - Watchdog.STALL_NANOS - MS;
            assertFalse(Watchdog.Stat.of(sleeper.pid()).stopped());
            assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(sleeper.pid())).start().waitFor());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Watchdog.Stat.of(sleeper.pid()).stopped() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            long now = System.nanoTime();
            assertNull(dog.look(sleeper.pid(), beat, true, now), "the first look only takes note");
            assertEquals("stopped", dog.look(sleeper.pid(), beat, true, now + 10 * MS));
        } finally {
            sleeper.toHandle().destroyForcibly();
            sleeper.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSpinningProcessIsSeenUsingCpu() throws Exception {
        Process spinner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            long before = Watchdog.Stat.of(spinner.pid()).cpuNanos();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Watchdog.Stat.of(spinner.pid()).cpuNanos() < before + 50 * MS && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            assertTrue(Watchdog.Stat.of(spinner.pid()).cpuNanos() >= before + 50 * MS, "its CPU time grows");
        } finally {
            spinner.toHandle().destroyForcibly();
            spinner.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
