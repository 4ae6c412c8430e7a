package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FutexSetTest {
    @Test
    void aWakeOnAnyWordEndsTheWaitAndSaysWhichWord() throws Exception {
        assumeTrue(FutexSet.supported(), "kernel without futex_waitv");
        try (SharedMemory shm = SharedMemory.create("futex-set", 4096); FutexSet set = new FutexSet(3)) {
            MemorySegment s = shm.segment();
            for (int i = 0; i < 3; i++) {
                set.add(s.address() + 64L * i, 0);
            }
            AtomicInteger woken = new AtomicInteger(-100);
            Thread waiter = Thread.ofPlatform().start(() -> woken.set(set.await(TimeUnit.SECONDS.toNanos(30))));
            Thread.sleep(200);
            assertTrue(waiter.isAlive(), "should be asleep");
            s.set(ValueLayout.JAVA_INT, 128, 1);
            Futex.wake(s, 128, 1);
            waiter.join(5000);
            assertEquals(2, woken.get());
        }
    }

    @Test
    void aWordThatAlreadyChangedReturnsAtOnceAndATimeoutIsReported() {
        assumeTrue(FutexSet.supported(), "kernel without futex_waitv");
        try (Arena arena = Arena.ofConfined(); FutexSet set = new FutexSet(2)) {
            MemorySegment words = arena.allocate(8, 4);
            words.set(ValueLayout.JAVA_INT, 4, 7);
            set.add(words.address(), 0);
            set.add(words.address() + 4, 6);
            assertEquals(FutexSet.CHANGED, set.await(TimeUnit.SECONDS.toNanos(10)));
            set.clear();
            set.add(words.address(), 0);
            long start = System.nanoTime();
            assertEquals(FutexSet.TIMED_OUT, set.await(TimeUnit.MILLISECONDS.toNanos(50)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40));
        }
    }
}
