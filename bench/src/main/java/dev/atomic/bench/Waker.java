package dev.atomic.bench;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The idle benchmark's caller, told what to do by the harness through its state directory: it writes
 * {@link #READY_FILE} once started, then for each {@code order-<n>} file the harness drops there (holding a service's
 * name, or {@link #ALL} for every sleeper at once) makes the call and writes {@code done-<n>}: {@code ok <nanos>}, the
 * round trip timed in this process, or {@code failed <why>}.
 */
public final class Waker implements Component {
    static final String READY_FILE = "waker.ready";
    static final String ALL = "all";
    /** Starting a service on demand starts a JVM; twenty at once on a small host take a while. */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final byte[] PAYLOAD = new byte[64];

    private ComponentContext context;
    private PrintStream log;
    private Path dir;

    static Path order(Path dir, int n) {
        return dir.resolve("order-" + n);
    }

    static Path done(Path dir, int n) {
        return dir.resolve("done-" + n);
    }

    @Override
    public void init(ComponentContext context) {
        this.context = context;
        log = context.log();
        dir = Path.of(System.getenv("ATOMIC_STATE_DIR"));
    }

    @Override
    public void start() throws IOException {
        Thread.ofPlatform().daemon().name("waker").start(this::run);
        Files.writeString(dir.resolve(READY_FILE), "ready\n");
    }

    private void run() {
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 1; ; n++) {
                Path order = order(dir, n);
                while (!Files.exists(order)) {
                    Thread.sleep(5);
                }
                String service = Files.readString(order).strip();
                String outcome = service.equals(ALL) ? all(calls) : call(service);
                Path partial = dir.resolve("done-" + n + ".partial");
                Files.writeString(partial, outcome);
                Files.move(partial, done(dir, n), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | InterruptedException e) {
            log.println("waker: " + e);
        }
    }

    /** Calls every sleeper at once; ok once each has answered. */
    private String all(ExecutorService calls) throws InterruptedException {
        List<Future<String>> each = new ArrayList<>();
        for (String sleeper : IdleSystem.sleepers()) {
            each.add(calls.submit(() -> call(sleeper)));
        }
        for (Future<String> f : each) {
            try {
                if (!f.get().startsWith("ok")) {
                    return f.get();
                }
            } catch (java.util.concurrent.ExecutionException e) {
                return "failed " + e.getCause();
            }
        }
        return "ok 0";
    }

    private String call(String service) {
        ServiceClient client = context.client(service);
        long t0 = System.nanoTime();
        try {
            client.call(1, PAYLOAD, TIMEOUT);
            return "ok " + (System.nanoTime() - t0);
        } catch (CallFailedException e) {
            log.println("waker: " + service + " failed: " + e.getMessage());
            return "failed " + service + ": " + e.getMessage();
        }
    }
}
