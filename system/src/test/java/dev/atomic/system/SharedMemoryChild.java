package dev.atomic.system;

import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Child side of {@link SharedMemoryTest}: maps another process's memfd and writes an int into it. */
public final class SharedMemoryChild {
    private SharedMemoryChild() {
    }

    public static void main(String[] args) {
        try (SharedMemory shared = SharedMemory.open(Path.of(args[0]))) {
            int seen = shared.segment().get(JAVA_INT, 0);
            shared.segment().set(JAVA_INT, 4, Integer.parseInt(args[1]));
            System.out.println(seen);
        }
    }
}
