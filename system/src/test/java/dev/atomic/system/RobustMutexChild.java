package dev.atomic.system;

import java.nio.file.Path;

/** Child side of {@link RobustMutexTest}: takes the mutex, says so, and holds it until killed. */
public final class RobustMutexChild {
    private RobustMutexChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        SharedMemory shared = SharedMemory.open(Path.of(args[0]));
        System.out.println("held " + RobustMutex.lock(shared.segment(), 64));
        System.out.flush();
        Thread.sleep(60_000);
    }
}
