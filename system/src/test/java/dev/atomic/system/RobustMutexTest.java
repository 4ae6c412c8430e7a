package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RobustMutexTest {
    @Test
    void thisCLibraryHasThem() {
        assertTrue(RobustMutex.supported(), "glibc and musl both have process-shared robust mutexes");
    }

    @Test
    void aWaiterInAnotherProcessGetsTheMutexWhenItsOwnerIsKilled() throws Exception {
        try (SharedMemory m = SharedMemory.create("atomic-robust", 4096)) {
            RobustMutex.init(m.segment(), 64);
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), RobustMutexChild.class.getName(),
                    m.procPath().toString()).redirectErrorStream(true).start();
            try {
                String said = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertEquals("held FREE", said);
                // The owner is a thread: the waiter's own thread takes, releases and takes again.
                ExecutorService thread = Executors.newSingleThreadExecutor();
                Future<RobustMutex.Acquired> waiter = thread.submit(() -> RobustMutex.lock(m.segment(), 64));
                assertThrows(TimeoutException.class, () -> waiter.get(300, TimeUnit.MILLISECONDS),
                        "a live owner keeps the mutex");
                child.toHandle().destroyForcibly();
                assertEquals(RobustMutex.Acquired.OWNER_DIED, waiter.get(10, TimeUnit.SECONDS));
                // Marked consistent: an ordinary mutex again for whoever comes next.
                assertEquals(RobustMutex.Acquired.FREE, thread.submit(() -> {
                    RobustMutex.unlock(m.segment(), 64);
                    RobustMutex.Acquired again = RobustMutex.lock(m.segment(), 64);
                    RobustMutex.unlock(m.segment(), 64);
                    return again;
                }).get(10, TimeUnit.SECONDS));
                thread.shutdown();
            } finally {
                child.toHandle().destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * How the Engine watches a component host's lock: it never locks (the holder's process can write the mutex), it
     * sets the waiters bit and sleeps on the word with futex_waitv, which the kernel wakes as the holder dies.
     */
    @Test
    void aWatcherThatNeverLocksIsWokenByTheKernelWhenTheOwnerIsKilled() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(FutexSet.supported(), "kernel without futex_waitv");
        try (SharedMemory m = SharedMemory.create("atomic-robust-watch", 4096);
             FutexSet set = new FutexSet(1)) {
            RobustMutex.init(m.segment(), 64);
            assertFalse(RobustMutex.held(RobustMutex.watch(m.segment(), 64)), "nobody holds a fresh mutex");
            Process child = holder(m);
            try {
                int word = RobustMutex.watch(m.segment(), 64);
                assertTrue(RobustMutex.held(word), Integer.toHexString(word));
                assertEquals(word, RobustMutex.watch(m.segment(), 64), "watched twice: the same word");
                assertNull(RobustMutex.tryLock(m.segment(), 64), "held by a live owner: trylock does not wait");
                set.add(RobustMutex.wordAddress(m.segment(), 64), word);
                assertEquals(FutexSet.TIMED_OUT, set.await(TimeUnit.MILLISECONDS.toNanos(200)), "a live owner");
                ExecutorService thread = Executors.newSingleThreadExecutor();
                Future<Integer> woken = thread.submit(() -> set.await(TimeUnit.SECONDS.toNanos(10)));
                Thread.sleep(100); // asleep on the word by now, most likely; if not, the changed word returns at once
                child.toHandle().destroyForcibly();
                int r = woken.get(15, TimeUnit.SECONDS);
                assertTrue(r == 0 || r == FutexSet.CHANGED, "not woken by the owner's death: " + r);
                assertFalse(RobustMutex.held(RobustMutex.word(m.segment(), 64)));
                // Whoever takes it next learns that its owner died, without blocking.
                assertEquals(RobustMutex.Acquired.OWNER_DIED, thread.submit(() -> {
                    RobustMutex.Acquired taken = RobustMutex.tryLock(m.segment(), 64);
                    RobustMutex.unlock(m.segment(), 64);
                    return taken;
                }).get(10, TimeUnit.SECONDS));
                thread.shutdown();
            } finally {
                child.toHandle().destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A process that takes the mutex at offset 64 and holds it until killed. */
    private static Process holder(SharedMemory m) throws Exception {
        Process child = new ProcessBuilder(ChildJvm.command(RobustMutexChild.class, m.procPath().toString()))
                .redirectErrorStream(true).start();
        assertEquals("held FREE", new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8)).readLine());
        return child;
    }

    @Test
    void aMutexMustFitItsSegmentAndBeAligned() {
        try (SharedMemory m = SharedMemory.create("atomic-robust-bounds", 4096)) {
            assertThrows(IndexOutOfBoundsException.class, () -> RobustMutex.init(m.segment(), 4096 - 8));
            assertThrows(IllegalArgumentException.class, () -> RobustMutex.init(m.segment(), 4));
            RobustMutex.init(m.segment(), 0);
        }
    }
}
