package dev.atomic.bench;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The recovery benchmark's client: one thread calling the responder back to back. When a call fails it keeps trying
 * (a 100 µs pause between tries, so as not to take the CPU a restarting responder needs), and at the first call that
 * succeeds again it appends the outage — the first failure's and that success's {@code System.nanoTime()}, the
 * host's monotonic clock, which the harness shares — to {@link RecoverySystem#OUTAGES} in its state directory.
 */
public final class RecoveryClient implements Component {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private ServiceClient responder;
    private PrintStream log;
    private Path outages;
    private volatile boolean stopping;

    @Override
    public void init(ComponentContext context) {
        responder = context.client(BenchSystem.SERVICE);
        log = context.log();
        outages = Path.of(System.getenv("ATOMIC_STATE_DIR")).resolve(RecoverySystem.OUTAGES);
    }

    @Override
    public void start() {
        Thread.ofPlatform().name("client").start(this::callBackToBack);
    }

    @Override
    public void stop() {
        stopping = true;
    }

    private void callBackToBack() {
        byte[] request = new byte[64];
        long failingSince = 0;
        while (!stopping) {
            try {
                responder.call(Pong.ROUND_TRIP, request, TIMEOUT);
                if (failingSince != 0) {
                    record(failingSince, System.nanoTime());
                    failingSince = 0;
                }
            } catch (CallFailedException e) {
                if (failingSince == 0) {
                    failingSince = System.nanoTime();
                }
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    private void record(long firstFailure, long success) {
        try {
            Files.writeString(outages, firstFailure + " " + success + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.println("client: could not record an outage: " + e);
        }
    }
}
