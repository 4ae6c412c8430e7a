package dev.atomic.system;

import java.nio.file.Path;

/** Child side of {@link FutexTest}: sleeps on a word of another process's memfd until that process wakes it. */
public final class FutexChild {
    private FutexChild() {
    }

    public static void main(String[] args) {
        try (SharedMemory shared = SharedMemory.open(Path.of(args[0]))) {
            System.out.println(Futex.await(shared.segment(), 0, 0, 10_000_000_000L) ? "woken" : "timed out");
        }
    }
}
