package dev.atomic.bridge;

import dev.atomic.system.RobustMutex;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Engine's seat passes to whoever waits for it the moment its holder's thread dies. */
class SuccessionTest {
    @Test
    void theSeatPassesWhenItsHolderDiesAndTheTakeoverIsRecorded() throws Exception {
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("ctl", ControlRegion.sizeFor(1, 0, 0,
                4096)), 1, 0, 0, 4096, 1)) {
            Succession s = control.succession();
            assertTrue(s.seatIsLock(), "this C library has robust mutexes");
            CountDownLatch seated = new CountDownLatch(1);
            CountDownLatch die = new CountDownLatch(1);
            // The active Engine's duty-cycle thread: it holds the seat, beats, and ends without letting go.
            Thread active = Thread.ofPlatform().start(() -> {
                assertEquals(RobustMutex.Acquired.FREE, s.takeSeat());
                control.heartbeat(42);
                seated.countDown();
                awaitQuietly(die);
            });
            assertTrue(seated.await(5, TimeUnit.SECONDS));
            s.standbyWaiting(7);
            CompletableFuture<RobustMutex.Acquired> standby = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                standby.complete(s.takeSeat());
                control.takeOver(99);
            });
            assertThrows(TimeoutException.class, () -> standby.get(200, TimeUnit.MILLISECONDS),
                    "nobody takes the seat from a live holder");
            die.countDown();
            active.join();
            assertEquals(RobustMutex.Acquired.OWNER_DIED, standby.get(5, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (s.standbyPid() != 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, s.standbyPid(), "promoted: no longer a standby");
            assertEquals(42, s.lastBeat(), "the predecessor's last heartbeat");
            assertEquals(99, s.deathSeen());
            assertEquals(ControlRegion.STARTING, control.engineState());
            assertEquals(0, control.firstRouted(), "a new failover measurement starts");
        }
    }

    @Test
    void aColdStartKeepsTheDeathTheSovereignSawAndStoppingIsSaid() {
        try (ControlRegion control = ControlRegion.format(SharedMemory.create("ctl", ControlRegion.sizeFor(1, 0, 0,
                4096)), 1, 0, 0, 4096, 1)) {
            Succession s = control.succession();
            s.deathSeen(1234);
            control.takeOver(0);
            assertEquals(1234, s.deathSeen());
            control.engineReady(5678);
            assertEquals(5678, s.readyAt());
            assertEquals(ControlRegion.READY, control.engineState());
            assertFalse(s.stopping());
            s.stopping(true);
            assertTrue(s.stopping());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
