package dev.atomic.bench;

import dev.atomic.sovereign.ControlSocket;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The management plane as an operator meets it: {@code atomic status}'s request to the Sovereign over the control
 * socket, timed from the benchmark's own JVM (the CLI minus its JVM start, which carving does not govern: the CLI
 * runs outside Atomic's cgroups) every {@link #INTERVAL} while a boot is measured. A request that gets no answer
 * is timed too, and counted.
 */
final class StatusProber implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(50);

    private final Path socket;
    private final long measureFrom;
    private final Histogram histogram = Measurement.newHistogram();
    private final Thread thread;
    private volatile boolean stop;
    private long failed;
    private long measuredNanos;

    /** Starts asking now; times the requests made after {@code warmup}. */
    StatusProber(Path home, String instance, Duration warmup) {
        this.socket = ControlSocket.path(home, instance);
        this.measureFrom = System.nanoTime() + warmup.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("status-prober").start(this::probe);
    }

    private void probe() {
        while (!stop) {
            long start = System.nanoTime();
            boolean answered;
            try {
                answered = ControlSocket.ask(socket, "status", line -> { });
            } catch (Exception e) {
                answered = false;
            }
            long end = System.nanoTime();
            if (start - measureFrom >= 0) {
                histogram.recordValue(Math.min(end - start, Measurement.HIGHEST_NANOS));
                measuredNanos += end - start;
                failed += answered ? 0 : 1;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, INTERVAL.toNanos() - (end - start)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops asking; what was timed (possibly nothing, when the boot ended within the warm-up). */
    Result finish() throws InterruptedException {
        stop = true;
        thread.join();
        return new Result(new Measurement(histogram.getTotalCount(), measuredNanos, histogram), failed);
    }

    record Result(Measurement requests, long failed) {
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }
}
