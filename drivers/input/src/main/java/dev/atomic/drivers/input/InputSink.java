package dev.atomic.drivers.input;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.EventHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Receives the input driver's key presses and measures them: end-to-end latency (the driver's read time to receipt
 * here) and its hops (the times the frame carries: sent by the driver, passed on by the Engine), and the sequence, which shows a press lost, reordered or coalesced. Every {@link #WRITE_EVERY_MILLIS} ms it
 * writes what it saw to {@link KeyStats#FILE} in its state directory, where a benchmark or a test reads it; every
 * ten seconds a line in its log.
 */
public final class InputSink implements Component {
    static final long WRITE_EVERY_MILLIS = 250;
    private static final int LOG_EVERY = 40;

    private final KeyStats stats = new KeyStats();
    private PrintStream log;
    private Path file;
    private volatile boolean running = true;
    private Thread writer;

    @Override
    public void init(ComponentContext context) {
        log = context.log();
        String stateDir = System.getenv("ATOMIC_STATE_DIR");
        file = stateDir == null ? null : Path.of(stateDir).resolve(KeyStats.FILE);
        context.onEvent(InputDriver.SERVICE, new EventHandler() {
            @Override
            public void onEvent(int method, byte[] event, int count) {
                onEvent(method, event, count, 0, 0);
            }

            @Override
            public void onEvent(int method, byte[] event, int count, long sentNanos, long forwardedNanos) {
                long now = System.nanoTime();
                KeyEvent press = KeyEvent.decode(event);
                if (press == null) {
                    stats.malformed();
                } else {
                    stats.received(press, count, sentNanos, forwardedNanos, now);
                }
            }
        });
    }

    @Override
    public void start() {
        if (file == null) {
            log.println("input-sink: no state directory: its measurements are only logged");
        }
        writer = Thread.ofPlatform().name("input-sink-stats").daemon().start(this::write);
    }

    private void write() {
        for (int round = 1; running; round++) {
            try {
                TimeUnit.MILLISECONDS.sleep(WRITE_EVERY_MILLIS);
                if (file != null) {
                    stats.writeTo(file);
                }
                if (round % LOG_EVERY == 0) {
                    log.println("input-sink: " + stats.summary());
                }
            } catch (IOException e) {
                log.println("input-sink: cannot write " + file + ": " + e);
                file = null;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            writer.interrupt();
        }
    }
}
