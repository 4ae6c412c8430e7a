package dev.atomic.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The outages a client saw, as lines "first-failure-nanos success-nanos" (System.nanoTime(), the host's monotonic
 * clock, the same in every process), read as they come: the recovery from a kill is the end of the first outage that
 * ended after it.
 */
final class Outages {
    private final Supplier<List<String>> lines;
    private int read;

    Outages(Supplier<List<String>> lines) {
        this.lines = lines;
    }

    /** From a file a client appends to. */
    static Outages inFile(Path file) {
        return new Outages(() -> {
            try {
                String text = Files.exists(file) ? Files.readString(file) : "";
                // Only whole lines: the last one may be half written.
                return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
            } catch (IOException e) {
                return List.of();
            }
        });
    }

    /** The end of the first outage that ends after {@code killNanos}, waiting for it up to {@code timeoutNanos}. */
    OptionalLong endAfter(long killNanos, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            List<String> all = lines.get();
            for (; read < all.size(); read++) {
                String[] words = all.get(read).trim().split(" ");
                if (words.length != 2 || !words[1].matches("-?\\d{1,19}")) {
                    break;
                }
                long end = Long.parseLong(words[1]);
                if (end - killNanos > 0) {
                    read++;
                    return OptionalLong.of(end);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                return OptionalLong.empty();
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }
}
