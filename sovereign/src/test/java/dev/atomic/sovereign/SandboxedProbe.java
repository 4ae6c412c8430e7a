package dev.atomic.sovereign;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Run by {@code SandboxTest} inside a sandbox: prints what it finds, one {@code key=value} per line. Arguments: a
 * host path it should not see, the host loopback port it should not reach.
 */
public final class SandboxedProbe {
    public static void main(String[] args) throws IOException {
        print("pid", ProcessHandle.current().pid());
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.matches("(Uid|CapEff|NoNewPrivs):.*")) {
                print(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]);
            }
        }
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            print("processes", proc.filter(p -> p.getFileName().toString().matches("\\d+")).count());
        }
        print("hidden", attempt(() -> Files.readAllBytes(Path.of(args[0])).length));
        print("root-writable", attempt(() -> Files.writeString(Path.of("/probe"), "x")));
        Path state = Path.of(System.getenv("ATOMIC_STATE_DIR"));
        print("state-writable", attempt(() -> Files.writeString(state.resolve("probe"), "written")));
        print("tmp-writable", attempt(() -> Files.writeString(Path.of("/tmp/probe"), "x")));
        // The inherited shared memory: read what the test wrote, answer in place.
        try (FileChannel lane = FileChannel.open(Path.of("/proc/self/fd/3"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(5);
            lane.read(b, 0);
            print("inherited", new String(b.array(), StandardCharsets.US_ASCII));
            lane.write(ByteBuffer.wrap("reply".getBytes(StandardCharsets.US_ASCII)), 8);
        }
        print("network", attempt(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 2000);
            }
            return null;
        }));
        print("env", new java.util.TreeSet<>(System.getenv().keySet()));
        print("host-program", attempt(() -> Files.readAllBytes(Path.of(System.getenv("ATOMIC_SECCOMP_PROGRAM")))));
        System.out.flush();
        // The test looks at this process from the host before letting it go.
        for (long giveUp = System.nanoTime() + 20_000_000_000L; !Files.exists(state.resolve("done"))
                && System.nanoTime() < giveUp; ) {
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static String attempt(Attempt a) {
        try {
            a.run();
            return "yes";
        } catch (Exception e) {
            return "no";
        }
    }

    private static void print(String key, Object value) {
        System.out.println(key + "=" + value);
    }
}
