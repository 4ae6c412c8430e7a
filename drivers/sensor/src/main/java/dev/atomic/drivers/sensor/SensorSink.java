package dev.atomic.drivers.sensor;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Receives the sensor's readings and counts them: event frames delivered, the readings they stand for (a coalesced
 * frame stands for several), written every {@link #WRITE_EVERY_MILLIS} ms to {@link ReadingStats#FILE} in its state
 * directory.
 */
public final class SensorSink implements Component {
    static final long WRITE_EVERY_MILLIS = 250;

    private final ReadingStats stats = new ReadingStats();
    private PrintStream log;
    private Path file;
    private volatile boolean running = true;
    private Thread writer;

    @Override
    public void init(ComponentContext context) {
        log = context.log();
        String stateDir = System.getenv("ATOMIC_STATE_DIR");
        file = stateDir == null ? null : Path.of(stateDir).resolve(ReadingStats.FILE);
        context.onEvent(SensorDriver.READINGS, (method, event, count) -> stats.received(count));
    }

    @Override
    public void start() {
        if (file != null) {
            writer = Thread.ofPlatform().name("sensor-sink-stats").daemon().start(this::write);
        }
    }

    private void write() {
        while (running) {
            try {
                TimeUnit.MILLISECONDS.sleep(WRITE_EVERY_MILLIS);
                stats.writeTo(file);
            } catch (IOException e) {
                log.println("sensor-sink: cannot write " + file + ": " + e);
                return;
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
