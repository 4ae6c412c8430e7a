package dev.atomic.bench;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;
import dev.atomic.drivers.sensor.SensorDriver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The storm benchmark's hand on the sensor, inside the system: the harness writes {@code order.<n>} files into its
 * state directory ({@code storm} or {@code rate <n>}), it calls the sensor's service for each in turn and writes
 * {@code done.<n>}. A storm's answer travels behind the storm on the sensor's own lane, so it is not waited for.
 */
public final class StormConductor implements Component {
    static final String ORDER = "order.";
    static final String DONE = "done.";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ServiceClient sensor;
    private Path dir;

    @Override
    public void init(ComponentContext context) {
        sensor = context.client(SensorDriver.SERVICE);
        dir = Path.of(System.getenv("ATOMIC_STATE_DIR"));
    }

    /** Its first call is what tells Atomic the system is up: the drivers themselves send only events. */
    @Override
    public void start() throws CallFailedException, InterruptedException {
        for (int tries = 1; ; tries++) { // the sensor starts beside it, and may not be up yet
            try {
                rate(0);
                break;
            } catch (CallFailedException e) {
                if (tries == 600) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        Thread.ofPlatform().name("storm-conductor").daemon().start(this::conduct);
    }

    private void conduct() {
        try {
            for (int n = 1; ; n++) {
                Path order = dir.resolve(ORDER + n);
                while (!Files.exists(order)) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                String[] words = Files.readString(order).strip().split(" ");
                if (words[0].equals("storm")) {
                    sensor.callAsync(SensorDriver.STORM, new byte[]{1}, TIMEOUT);
                } else {
                    rate(Integer.parseInt(words[1]));
                }
                Files.writeString(dir.resolve(DONE + n), String.join(" ", words));
            }
        } catch (InterruptedException | IOException | CallFailedException e) {
            // the boot is ending; the harness sees no done file and says so
        }
    }

    private void rate(int perSecond) throws CallFailedException {
        sensor.call(SensorDriver.RATE, ByteBuffer.allocate(4).putInt(perSecond).array(), TIMEOUT);
    }
}
