package dev.atomic.bench;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The client of the measured boots: times its calls to {@link Pong} with the SDK a real component uses, in its own
 * process, with the same loops as the other paths' clients. It writes what it measured to {@link #RESULT_FILE}
 * in its state directory, where the harness waits for it.
 */
public final class Ping implements Component {
    static final String RESULT_FILE = "ping.result";
    static final String MEASURED = "MEASURED ";
    static final String FAILED = "FAILED ";
    /**
     * Calls before the warm-up: the fast path opens as soon as both ends are up, in a few milliseconds; this makes
     * sure it is open before anything is timed, and lets the flood of the flooded run get going.
     */
    static final Duration SETTLE = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private BenchSystem system;
    private ServiceClient pong;
    private PrintStream log;
    private Path result;

    @Override
    public void init(ComponentContext context) throws IOException {
        system = BenchSystem.parse(context.systemName()).orElseThrow();
        pong = context.client(BenchSystem.SERVICE);
        log = context.log();
        // The one place of the host a sandboxed component sees, and the harness finds it in.
        result = Path.of(System.getenv("ATOMIC_STATE_DIR")).resolve(RESULT_FILE);
    }

    @Override
    public void start() {
        Thread.ofPlatform().name("ping").start(this::run);
    }

    private void run() {
        String outcome;
        try {
            outcome = MEASURED + measure().encode();
        } catch (Throwable e) { // whatever it is, the harness must hear of it rather than wait in vain
            outcome = FAILED + (e instanceof ExecutionException ? e.getCause() : e);
        }
        try {
            Path partial = result.resolveSibling(RESULT_FILE + ".partial");
            Files.writeString(partial, outcome);
            Files.move(partial, result, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.println("ping: could not write " + result + ": " + e);
        }
        log.println("ping: done");
    }

    private Measurement measure() throws Exception {
        Workload workload = system.workload();
        Counts counts = system.counts();
        Endpoint call = call(workload);
        for (long end = System.nanoTime() + SETTLE.toNanos(); System.nanoTime() - end < 0; ) {
            call.send();
        }
        return workload.pipelined() ? pipelined(call, counts, workload.inFlight())
                : ClientLoop.roundTrips(call, counts.warmup(), counts.measured());
    }

    /** One call of the workload, as an endpoint whose {@code send} is the whole round trip. */
    private Endpoint call(Workload workload) {
        byte[] payload = new byte[workload.payloadBytes()];
        MemorySegment data = MemorySegment.ofArray(payload);
        return switch (workload) {
            case ROUND_TRIP_64B, PIPELINED_64B -> new Call(() -> pong.call(Pong.ROUND_TRIP, payload, TIMEOUT));
            case COPY_64KIB -> new Call(() -> pong.call(Pong.TRANSFER, payload, TIMEOUT));
            // The data has to get into the buffer: the caller writes it there, and nobody copies it after that.
            case ZERO_COPY_64KIB -> new Call(() -> pong.callPooled(Pong.TRANSFER, payload.length,
                    buffer -> MemorySegment.copy(data, 0, buffer, 0, payload.length), TIMEOUT));
            case CRITICAL_64B, CRITICAL_64B_FLOODED ->
                    new Call(() -> pong.callCritical(Pong.ROUND_TRIP, payload, TIMEOUT));
        };
    }

    /**
     * The SDK's calls are synchronous: {@code inFlight} callers, each making its share of the calls one after the
     * other, keep that many in flight. Only the rate is measured, as for the other paths.
     */
    private static Measurement pipelined(Endpoint call, Counts counts, int inFlight) throws Exception {
        try (ExecutorService callers = Executors.newFixedThreadPool(inFlight)) {
            stream(callers, call, counts.warmup(), inFlight);
            long start = System.nanoTime();
            int sent = stream(callers, call, counts.measured(), inFlight);
            return new Measurement(sent, System.nanoTime() - start, Measurement.newHistogram());
        }
    }

    private static int stream(ExecutorService callers, Endpoint call, int messages, int inFlight) throws Exception {
        int each = Math.max(1, messages / inFlight);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
            done.add(callers.submit(() -> {
                for (int k = 0; k < each; k++) {
                    call.send();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        return each * inFlight;
    }

    @FunctionalInterface
    private interface CallBody {
        void run() throws CallFailedException;
    }

    private record Call(CallBody body) implements Endpoint {
        @Override
        public void send() throws IOException {
            try {
                body.run();
            } catch (CallFailedException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        /** The reply came back with the call. */
        @Override
        public void receive() {
        }

        @Override
        public void close() {
        }
    }
}
