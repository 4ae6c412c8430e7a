package dev.atomic.console;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;
import dev.atomic.demo.EchoService;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The well-behaved component: calls echo in a loop, each request numbered ({@code seq <n>}), and checks that every
 * reply is its own request upper-cased. A failed call is counted, never retried. It stops calling when the test
 * drops {@link #QUIESCE} into its state directory (so the count is not blurred by the shutdown racing a call) or when
 * stopped, and then logs its final counts once.
 */
public final class SteadyApp implements Component {
    /** The file, in its state directory, that asks steady to finish its traffic. */
    static final String QUIESCE = "steady.quiesce";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long PAUSE_MILLIS = 5;
    private static final long REPORT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private volatile boolean running = true;
    private ServiceClient echo;
    private PrintStream log;
    private Path quiesce;
    private Thread loop;
    private long sent;
    private long answered;
    private long failed;
    private long wrong;

    @Override
    public void init(ComponentContext context) throws Exception {
        echo = context.client("echo");
        log = context.log();
        // The one host directory its sandbox shows it: where the test can reach it.
        quiesce = Path.of(System.getenv("ATOMIC_STATE_DIR")).resolve(QUIESCE);
    }

    @Override
    public void start() {
        loop = Thread.ofPlatform().name("steady").start(this::loop);
    }

    private void loop() {
        long nextReport = System.nanoTime() + REPORT_NANOS;
        for (long seq = 0; running && !Files.exists(quiesce); seq++) {
            if (!call(seq)) {
                break;
            }
            if (System.nanoTime() - nextReport >= 0) {
                log.println("steady: " + counts());
                nextReport += REPORT_NANOS;
            }
            pause();
        }
        log.println("steady: final " + counts());
    }

    /**
     * One numbered call, counted once its outcome is known; false when the stop cut it short (its outcome is then
     * unknown, and it is not counted).
     */
    private boolean call(long seq) {
        String request = "seq " + seq;
        try {
            byte[] reply = echo.call(EchoService.UPPERCASE, request.getBytes(StandardCharsets.UTF_8), TIMEOUT);
            sent++;
            String text = new String(reply, StandardCharsets.UTF_8);
            if (text.equals("SEQ " + seq)) {
                answered++;
            } else {
                wrong++;
                log.println("steady: " + request + " answered '" + text + "'");
            }
        } catch (CallFailedException e) {
            if (Thread.currentThread().isInterrupted()) {
                log.println("steady: " + request + " cut short by the stop, not counted");
                return false;
            }
            sent++;
            failed++;
            log.println("steady: " + request + " failed: " + e.getMessage());
        }
        return true;
    }

    private String counts() {
        return "sent " + sent + " answered " + answered + " failed " + failed + " wrong " + wrong;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Once told to stop, the host no longer reads replies: a call still waiting is interrupted, not left to time out. */
    @Override
    public void stop() {
        running = false;
        loop.interrupt();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
