package dev.atomic.bench;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The management plane's client in the carving benchmark, in the Services kernel: calls {@link Probe} through the
 * Engine every {@link #INTERVAL}, as a supervisor or a console would, and times each round trip in its own
 * process. It probes untimed until the harness drops {@link #GO_FILE} in its state directory (Atomic is ready: the hog and
 * the leaker are running), then for the warm-up, then times every call for the measured window and writes what it
 * measured to {@link #RESULT_FILE} in its state directory: {@code MEASURED <failed calls> <measurement>}.
 */
public final class Prober implements Component {
    static final String RESULT_FILE = "prober.result";
    static final String GO_FILE = "carving.go";
    static final Duration INTERVAL = Duration.ofMillis(10);
    /** Also the deadline the Engine enforces; a call that fails is timed like any other, and counted. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int PAYLOAD_BYTES = 64;
    private static final int FAILURES_LOGGED = 5;

    private CarvingSystem system;
    private ServiceClient probe;
    private PrintStream log;
    private Path result;
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    private long nextCall;
    private long failuresLogged;

    @Override
    public void init(ComponentContext context) throws IOException {
        system = CarvingSystem.parse(context.systemName()).orElseThrow();
        probe = context.client(CarvingSystem.PROBE);
        log = context.log();
        // The one place of the host a sandboxed component sees, and the harness finds it in.
        result = Path.of(System.getenv("ATOMIC_STATE_DIR")).resolve(RESULT_FILE);
    }

    @Override
    public void start() {
        Thread.ofPlatform().name("prober").start(this::run);
    }

    private void run() {
        String outcome;
        try {
            outcome = Ping.MEASURED + measure();
        } catch (Throwable e) { // whatever it is, the harness must hear of it rather than wait in vain
            outcome = Ping.FAILED + e;
        }
        try {
            Path partial = result.resolveSibling(RESULT_FILE + ".partial");
            Files.writeString(partial, outcome);
            Files.move(partial, result, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.println("prober: could not write " + result + ": " + e);
        }
        log.println("prober: done");
    }

    private String measure() throws InterruptedException {
        Path go = result.resolveSibling(GO_FILE);
        nextCall = System.nanoTime();
        while (!Files.exists(go)) {
            call();
            pace();
        }
        log.println("prober: Atomic is ready; warming up for " + system.warmup().toMillis() + " ms");
        for (long end = System.nanoTime() + system.warmup().toNanos(); System.nanoTime() - end < 0; ) {
            call();
            pace();
        }
        Histogram times = Measurement.newHistogram();
        long failed = 0;
        long start = System.nanoTime();
        for (long end = start + system.measured().toNanos(); System.nanoTime() - end < 0; ) {
            long t0 = System.nanoTime();
            boolean ok = call();
            times.recordValue(Math.min(System.nanoTime() - t0, Measurement.HIGHEST_NANOS));
            failed += ok ? 0 : 1;
            pace();
        }
        Measurement m = new Measurement(times.getTotalCount(), System.nanoTime() - start, times);
        log.printf("prober: %d probes in %d ms, %d failed; p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", m.count(),
                TimeUnit.NANOSECONDS.toMillis(m.elapsedNanos()), failed, m.micros(50) / 1000, m.micros(99) / 1000,
                times.getMaxValue() / 1e6);
        return failed + " " + m.encode();
    }

    /** One probe; false when it failed (the first few failures are logged). */
    private boolean call() {
        try {
            probe.call(Probe.ECHO, payload, TIMEOUT);
            return true;
        } catch (CallFailedException e) {
            if (failuresLogged++ < FAILURES_LOGGED) {
                log.println("prober: a probe failed: " + e.getMessage());
            }
            return false;
        }
    }

    /** Waits for the next call's time; a call that ran late is not made up for with a burst. */
    private void pace() throws InterruptedException {
        nextCall += INTERVAL.toNanos();
        long wait = nextCall - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        } else {
            nextCall = System.nanoTime();
        }
    }
}
