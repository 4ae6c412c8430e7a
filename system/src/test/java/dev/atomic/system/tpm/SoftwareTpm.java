package dev.atomic.system.tpm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real software TPM 2.0 for tests: {@code swtpm socket --tpm2} on a free loopback port, its state in a directory
 * of the test's. It speaks the same command bytes as {@code /dev/tpmrm0}. It ends when its one connection closes
 * ({@code --terminate}), so even a test JVM that dies leaves no swtpm behind.
 */
public final class SoftwareTpm implements AutoCloseable {
    /** What the tests ask for when swtpm is missing. */
    public static final String INSTALL = "apt-get install swtpm";
    private static final long START_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Process process;
    private final SocketTransport transport;
    private final Tpm tpm;

    private SoftwareTpm(Process process, SocketTransport transport, int port) {
        this.process = process;
        this.transport = transport;
        this.tpm = Tpm.over(transport, "swtpm on port " + port);
    }

    /** Starts swtpm under {@code dir}; fails the test, saying how to install it, when swtpm is not installed. */
    public static SoftwareTpm start(Path dir) throws IOException, InterruptedException {
        Path swtpm = onPath("swtpm").orElseGet(() -> fail("swtpm (a software TPM 2.0) is not installed, and the TPM"
                + " tests run against it. Install it with: " + INSTALL + " ('./atomic test' does so when run as root)"));
        String why = "";
        for (int attempt = 1; attempt <= 3; attempt++) { // another program may take the port we picked
            int port = freePort();
            Path log = dir.resolve("swtpm-" + attempt + ".log");
            Process p = new ProcessBuilder(swtpm.toString(), "socket", "--tpm2", "--terminate",
                    "--server", "type=tcp,port=" + port,
                    "--tpmstate", "dir=" + Files.createDirectories(dir.resolve("state-" + attempt)),
                    "--flags", "not-need-init,startup-clear")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Optional<SocketTransport> transport = connect(p, port);
            if (transport.isPresent()) {
                return new SoftwareTpm(p, transport.get(), port);
            }
            stop(p);
            why = Files.readString(log).strip();
        }
        return fail("swtpm did not start: " + why);
    }

    /** The client, over {@link #transport()}; closing it ends swtpm. */
    public Tpm tpm() {
        return tpm;
    }

    /** The raw connection, for relays that tamper with what goes through. */
    public TpmTransport transport() {
        return transport;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tpm.close();
        stop(process);
    }

    private static Optional<SocketTransport> connect(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_NANOS;
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                SocketTransport transport = new SocketTransport(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        port));
                try {
                    Tpm.over(transport, "swtpm").pcrRead(0); // it answers as a TPM: ours, not another program
                    if (p.isAlive()) {
                        return Optional.of(transport);
                    }
                } catch (IOException notATpm) {
                    // fall through: close it and try again while ours is alive
                }
                transport.close();
            } catch (IOException notYetListening) {
                Thread.sleep(20);
            }
        }
        return Optional.empty();
    }

    private static void stop(Process p) throws InterruptedException {
        p.toHandle().destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.toHandle().destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Optional<Path> onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
}
