package dev.atomic.bench;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bulk flood of the flooded critical run: several threads sending 64 KiB copying calls to {@link Pong} as fast
 * as the Engine takes them (such calls travel on the transfer lane). In the quiet run it is there and idle.
 */
public final class Flooder implements Component {
    /** Two per CPU of the 2-core hosts this was built on: enough to keep the transfer lanes full. */
    private static final int THREADS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long REPORT_MILLIS = 1000;

    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;
    private volatile boolean running = true;
    private boolean flood;
    private ServiceClient pong;
    private PrintStream log;

    @Override
    public void init(ComponentContext context) {
        flood = BenchSystem.parse(context.systemName()).orElseThrow().flooded();
        pong = context.client(BenchSystem.SERVICE);
        log = context.log();
    }

    @Override
    public void start() {
        if (!flood) {
            log.println("flooder: idle (quiet run)");
            return;
        }
        byte[] payload = new byte[Workload.COPY_64KIB.payloadBytes()];
        for (int i = 0; i < THREADS; i++) {
            Thread.ofPlatform().daemon().name("flood-" + i).start(() -> flood(payload));
        }
        Thread.ofPlatform().daemon().name("flood-report").start(this::report);
    }

    private void flood(byte[] payload) {
        while (running) {
            try {
                pong.call(Pong.TRANSFER, payload, TIMEOUT);
                answered.incrementAndGet();
            } catch (CallFailedException e) {
                failed.incrementAndGet();
                lastFailure = e.getMessage();
            }
        }
    }

    /** What the flood amounted to, in the log: evidence that it really ran while ping measured. */
    private void report() {
        while (running) {
            try {
                Thread.sleep(REPORT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long n = answered.getAndSet(0);
            long f = failed.getAndSet(0);
            log.printf("flooder: %d transfers of 64 KiB answered (%d MiB/s), %d failed%s%n", n,
                    n * Workload.COPY_64KIB.payloadBytes() / (1024 * 1024) * 1000 / REPORT_MILLIS, f,
                    f == 0 ? "" : ", the last because: " + lastFailure);
        }
    }

    @Override
    public void stop() {
        running = false;
    }
}
