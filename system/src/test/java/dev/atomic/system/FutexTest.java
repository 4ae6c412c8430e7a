package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FutexTest {
    private static final long SECOND = 1_000_000_000L;
    private static final VarHandle WORD = JAVA_INT.varHandle();

    @Test
    void aSleepingWaiterIsWokenByAnotherThread() throws Exception {
        try (SharedMemory m = SharedMemory.create("atomic-futex", 4096)) {
            MemorySegment s = m.segment();
            long start = System.nanoTime();
            // The word stays equal to expected: only a wake can end this wait before its 10 s timeout.
            CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> Futex.await(s, 64, 0, 10 * SECOND));
            int count = 0;
            while (count == 0 && !woken.isDone()) {
                Thread.sleep(1);
                count = Futex.wake(s, 64, Integer.MAX_VALUE);
            }
            assertEquals(1, count, "one waiter woke");
            assertTrue(woken.get(5, TimeUnit.SECONDS));
            assertTrue(System.nanoTime() - start < 5 * SECOND);
        }
    }

    @Test
    void aWriterThatChangesTheWordAndWakesReleasesTheWaiter() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = arena.allocate(8, 8);
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                while ((int) WORD.getVolatile(s, 0L) == 0) {
                    Futex.await(s, 0, 0, 0);
                }
                return true;
            });
            Thread.sleep(20);
            WORD.setVolatile(s, 0L, 1);
            Futex.wake(s, 0, 1);
            assertTrue(waiter.get(5, TimeUnit.SECONDS));
        }
    }

    /** A PRIVATE futex would never see this wake: the two mappings are in different processes. */
    @Test
    void aWakeReachesASleeperInAnotherProcess() throws Exception {
        try (SharedMemory m = SharedMemory.create("atomic-futex-cross", 4096)) {
            CompletableFuture<String> child = CompletableFuture.supplyAsync(() -> {
                try {
                    return ChildJvm.run(FutexChild.class, m.procPath().toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int woke = 0;
            while (woke == 0 && !child.isDone()) {
                Thread.sleep(5);
                woke = Futex.wake(m.segment(), 0, 1);
            }
            assertEquals(1, woke);
            assertEquals("woken", child.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void timesOut() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4, 4);
            long start = System.nanoTime();
            assertFalse(Futex.await(s, 0, 0, 50_000_000L));
            assertTrue(System.nanoTime() - start >= 50_000_000L);
        }
    }

    @Test
    void returnsAtOnceWhenTheWordNoLongerHoldsTheExpectedValue() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4, 4);
            s.set(JAVA_INT, 0, 7);
            long start = System.nanoTime();
            assertTrue(Futex.await(s, 0, 0, 10 * SECOND));
            assertTrue(System.nanoTime() - start < SECOND);
            assertEquals(0, Futex.wake(s, 0, 1), "nobody waits");
        }
    }

    @Test
    void rejectsWordsTheKernelCannotUse() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(16, 8);
            assertThrows(IllegalArgumentException.class, () -> Futex.wake(s, 2, 1), "misaligned");
            assertThrows(IndexOutOfBoundsException.class, () -> Futex.wake(s, 16, 1), "out of bounds");
            assertThrows(IllegalArgumentException.class, () -> Futex.wake(MemorySegment.ofArray(new int[4]), 0, 1));
        }
    }

    @Test
    void aClosedRegionIsRefused() {
        SharedMemory m = SharedMemory.create("atomic-futex-closed", 4096);
        MemorySegment s = m.segment();
        m.close();
        assertThrows(IllegalStateException.class, () -> Futex.wake(s, 0, 1));
    }
}
