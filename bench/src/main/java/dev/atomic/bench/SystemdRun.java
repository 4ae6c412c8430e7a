package dev.atomic.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The recovery benchmark's baseline: a restart as systemd would do it ({@code Restart=always},
 * {@code RestartSec=100ms}). The harness plays systemd: the service is a plain JVM answering 64 B requests on a Unix
 * socket (the bridge benchmark's echo server, with the JVM's default class-data sharing, no AOT cache, no spare);
 * once it is seen gone, 100 ms later a fresh JVM is started. A client thread of the harness calls it back to back,
 * reconnecting after a failure every 100 µs, like {@link RecoveryClient}.
 */
final class SystemdRun {
    static final Duration RESTART_SEC = Duration.ofMillis(100);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final long RETRY_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private SystemdRun() {
    }

    static RecoverySide measure(int kills, PrintStream progress) throws InterruptedException {
        String label = "systemd-style restart";
        Transport unix = Transports.byId("unix");
        Workload workload = Workload.ROUND_TRIP_64B;
        List<String> outages = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Rendezvous rendezvous = unix.prepare(workload.payloadBytes())) {
            Path socket = Path.of(rendezvous.args().getFirst());
            ChildJvm server = ChildJvm.start(BenchChild.serverArgs(unix, workload, rendezvous.args()));
            server.awaitLine(BenchChild.READY, START);
            Client client = new Client(unix, rendezvous.args(), workload.payloadBytes(), outages);
            Thread calling = Thread.ofPlatform().name("systemd-client").start(client);
            Outages seen = new Outages(() -> List.copyOf(outages));
            List<Double> recoveries = new ArrayList<>();
            try {
                TimeUnit.SECONDS.sleep(2);
                for (int kill = 1; kill <= kills; kill++) {
                    TimeUnit.MILLISECONDS.sleep(100 + ThreadLocalRandom.current().nextLong(200));
                    long killAt = System.nanoTime();
                    ProcessHandle dead = server.handle();
                    dead.destroyForcibly();
                    dead.onExit().get(RECOVERY.toSeconds(), TimeUnit.SECONDS);
                    server.close();
                    TimeUnit.NANOSECONDS.sleep(RESTART_SEC.toNanos());
                    Files.deleteIfExists(socket); // what a unit's socket cleanup does
                    server = ChildJvm.start(BenchChild.serverArgs(unix, workload, rendezvous.args()));
                    OptionalLong end = seen.endAfter(killAt, RECOVERY.toNanos());
                    if (end.isEmpty()) {
                        throw new IllegalStateException("no reply within " + RECOVERY.toSeconds() + " s of kill "
                                + kill);
                    }
                    double ms = (end.getAsLong() - killAt) / 1e6;
                    recoveries.add(ms);
                    progress.printf(" %.1f", ms);
                    progress.flush();
                }
                progress.println();
                return new RecoverySide(label, recoveries, "RestartSec " + RESTART_SEC.toMillis() + " ms, a fresh JVM "
                        + "(default class-data sharing, no AOT cache)", null);
            } finally {
                client.stop = true;
                server.close();
                calling.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            progress.println();
            return RecoverySide.none(label, "failed: " + e.getMessage());
        }
    }

    /** Calls back to back; after a failure, reconnects every 100 µs; notes each outage as it ends. */
    private static final class Client implements Runnable {
        private final Transport transport;
        private final List<String> rendezvous;
        private final int payloadBytes;
        private final List<String> outages;
        private volatile boolean stop;

        Client(Transport transport, List<String> rendezvous, int payloadBytes, List<String> outages) {
            this.transport = transport;
            this.rendezvous = rendezvous;
            this.payloadBytes = payloadBytes;
            this.outages = outages;
        }

        @Override
        public void run() {
            Endpoint endpoint = null;
            long failingSince = 0;
            while (!stop) {
                try {
                    if (endpoint == null) {
                        endpoint = transport.connect(rendezvous, EchoServer.NO_ADDRESS, payloadBytes);
                    }
                    endpoint.send();
                    endpoint.receive();
                    if (failingSince != 0) {
                        outages.add(failingSince + " " + System.nanoTime());
                        failingSince = 0;
                    }
                } catch (IOException e) {
                    if (failingSince == 0) {
                        failingSince = System.nanoTime();
                    }
                    endpoint = close(endpoint);
                    LockSupport.parkNanos(RETRY_NANOS);
                }
            }
            close(endpoint);
        }

        private static Endpoint close(Endpoint endpoint) {
            if (endpoint != null) {
                try {
                    endpoint.close();
                } catch (IOException ignored) {
                    // broken already
                }
            }
            return null;
        }
    }
}
