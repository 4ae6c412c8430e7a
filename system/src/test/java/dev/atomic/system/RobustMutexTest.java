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

    @Test
    void aMutexMustFitItsSegmentAndBeAligned() {
        try (SharedMemory m = SharedMemory.create("atomic-robust-bounds", 4096)) {
            assertThrows(IndexOutOfBoundsException.class, () -> RobustMutex.init(m.segment(), 4096 - 8));
            assertThrows(IllegalArgumentException.class, () -> RobustMutex.init(m.segment(), 4));
            RobustMutex.init(m.segment(), 0);
        }
    }
}
