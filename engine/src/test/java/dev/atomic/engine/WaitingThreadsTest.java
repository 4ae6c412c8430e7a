package dev.atomic.engine;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task handed to {@link WaitingThreads} runs on a thread already waiting, and another is waiting after it. */
class WaitingThreadsTest {
    private static final String NAME = "waiting-threads-test";

    @Test
    void eachTaskRunsOnAThreadStartedBeforeItAndAnotherWaitsForTheNext() throws Exception {
        WaitingThreads threads = new WaitingThreads(NAME);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int task = 1; task <= 3; task++) {
                awaitWaiting(threads);
                Set<Thread> before = named();
                CompletableFuture<Thread> ranOn = new CompletableFuture<>();
                threads.run(() -> {
                    ranOn.complete(Thread.currentThread());
                    try {
                        release.await(); // each holds its thread, as a listener's does while its component lives
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Thread on = ranOn.get(10, TimeUnit.SECONDS);
                assertTrue(before.contains(on), "task " + task + " ran on " + on + ", not one of the threads "
                        + "waiting before it: " + before);
            }
            awaitWaiting(threads);
        } finally {
            release.countDown();
        }
    }

    private static void awaitWaiting(WaitingThreads threads) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.waiting() < 1 && System.nanoTime() - giveUp < 0) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        assertTrue(threads.waiting() >= 1, "a thread waits");
    }

    private static Set<Thread> named() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(NAME))
                .collect(Collectors.toSet());
    }
}
