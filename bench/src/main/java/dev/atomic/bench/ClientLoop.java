package dev.atomic.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;

/** The client's measuring loops. They run in the client JVM, so every time is taken on one clock, in one process. */
final class ClientLoop {
    private ClientLoop() {
    }

    /** Ping-pong: the warm-up lets the JIT compile both ends' hot paths before a single round trip is timed. */
    static Measurement roundTrips(Endpoint endpoint, int warmup, int count) throws IOException {
        for (int i = 0; i < warmup; i++) {
            endpoint.send();
            endpoint.receive();
        }
        Histogram histogram = Measurement.newHistogram();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            endpoint.send();
            endpoint.receive();
            histogram.recordValue(System.nanoTime() - t0);
        }
        return new Measurement(count, System.nanoTime() - start, histogram);
    }

    /** Streaming: {@code inFlight} requests outstanding at all times; only the rate is measured. */
    static Measurement pipelined(Endpoint endpoint, int warmup, int count, int inFlight) throws IOException {
        stream(endpoint, warmup, inFlight);
        long start = System.nanoTime();
        stream(endpoint, count, inFlight);
        return new Measurement(count, System.nanoTime() - start, Measurement.newHistogram());
    }

    private static void stream(Endpoint endpoint, int messages, int inFlight) throws IOException {
        int sent = 0;
        while (sent < Math.min(inFlight, messages)) {
            endpoint.send();
            sent++;
        }
        for (int received = 0; received < messages; received++) {
            endpoint.receive();
            if (sent < messages) {
                endpoint.send();
                sent++;
            }
        }
    }
}
