package dev.atomic.bench;

import java.time.Duration;

/** Runs one transport under one workload: a fresh server JVM, then a fresh client JVM that measures. */
final class Runner {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofMinutes(3);
    private static final Duration EXIT = Duration.ofSeconds(20);

    private Runner() {
    }

    static Measurement run(Transport transport, Workload workload, Counts counts) throws Exception {
        try (Rendezvous rendezvous = transport.prepare(workload.payloadBytes());
             ChildJvm server = ChildJvm.start(BenchChild.serverArgs(transport, workload, rendezvous.args()))) {
            String address = server.awaitLine(BenchChild.READY, START);
            try (ChildJvm client = ChildJvm.start(
                    BenchChild.clientArgs(transport, workload, counts, address, rendezvous.args()))) {
                Measurement m = Measurement.decode(client.awaitLine(BenchChild.RESULT, RUN));
                client.awaitSuccess(EXIT);
                server.awaitSuccess(EXIT);
                return m;
            }
        }
    }
}
