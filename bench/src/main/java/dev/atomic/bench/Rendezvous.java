package dev.atomic.bench;

import java.io.IOException;
import java.util.List;

/**
 * What the harness set up for one run: arguments for both ends, and how to take it down afterwards.
 *
 * @param args    passed to {@link Transport#bind} and {@link Transport#connect}
 * @param cleanup runs when both ends have exited
 */
public record Rendezvous(List<String> args, Cleanup cleanup) implements AutoCloseable {
    public Rendezvous {
        args = List.copyOf(args);
    }

    /** Nothing shared: the server binds an address of its own and tells the client. */
    public static Rendezvous none() {
        return new Rendezvous(List.of(), () -> { });
    }

    @Override
    public void close() throws IOException {
        cleanup.run();
    }

    @FunctionalInterface
    public interface Cleanup {
        void run() throws IOException;
    }
}
