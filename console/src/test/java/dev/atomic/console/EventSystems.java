package dev.atomic.console;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceClient;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;
import dev.atomic.drivers.input.InputManifests;
import dev.atomic.drivers.sensor.SensorDriver;
import dev.atomic.drivers.sensor.SensorManifests;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static dev.atomic.component.SystemSpec.refs;

/** The system {@code EventEndToEndTest} boots: a sensor that emits events fast, and a sink that adds them up. */
public final class EventSystems implements SystemProvider {
    static final String NAME = "events";
    /** A steady 50 000 events a second for a second: far above the calm rate, within the rate budget. */
    static final int EVENTS = 50_000;
    private static final int PER_MILLISECOND = 50;
    private static final int READING = 1;
    private static final int REPORT = 2;
    private static final long MIB = 1024 * 1024;

    /** The input and sensor drivers as they ship, and {@link StormSwitch}, which turns the sensor's storm on. */
    static final String STORM = "storm";

    @Override
    public Optional<SystemSpec> system(String name) {
        if (STORM.equals(name)) {
            List<ComponentSpec> components = new java.util.ArrayList<>();
            Stream.of(InputManifests.read(), SensorManifests.read()).flatMap(List::stream)
                    .forEach(m -> components.add(m.component()));
            components.add(new ComponentSpec("storm-switch", Kernel.DAK, "app", StormSwitch.class.getName(), refs(),
                    refs(SensorDriver.SERVICE + "@1#" + SensorDriver.STORM + "," + SensorDriver.RATE), 192 * MIB, 64, SystemSpec.DEFAULT_RATE));
            return Optional.of(new SystemSpec(STORM, components));
        }
        return NAME.equals(name) ? Optional.of(new SystemSpec(NAME, List.of(
                new ComponentSpec("sink", Kernel.SERVICES, "service", Sink.class.getName(),
                        refs("readings@1"), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE),
                new ComponentSpec("sensor", Kernel.DAK, "driver", Sensor.class.getName(),
                        refs(), refs("readings@1"), 192 * MIB, 64, SystemSpec.DEFAULT_RATE)))) : Optional.empty();
    }

    /** Counts event frames and the events they stand for; answers REPORT with both. */
    public static final class Sink implements Component {
        private final AtomicLong frames = new AtomicLong();
        private final AtomicLong events = new AtomicLong();

        @Override
        public void init(ComponentContext context) {
            context.onEvent("readings", (method, event, count) -> {
                frames.incrementAndGet();
                events.addAndGet(count);
            });
            context.provideInline("readings", (method, request) ->
                    (frames.get() + " " + events.get()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Emits readings at a steady pace, then asks the sink what arrived. */
    public static final class Sensor implements Component {
        private ComponentContext context;
        private ServiceClient readings;

        @Override
        public void init(ComponentContext context) {
            this.context = context;
            this.readings = context.client("readings");
        }

        @Override
        public void start() {
            Thread.ofPlatform().name("sensor").start(this::run);
        }

        private void run() {
            long accepted = 0;
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                if (i % PER_MILLISECOND == 0) {
                    long due = start + (long) (i / PER_MILLISECOND) * 1_000_000;
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                }
                if (readings.emit(READING, ByteBuffer.allocate(4).putInt(0, i).array())) {
                    accepted++;
                }
            }
            long nanos = System.nanoTime() - start;
            try {
                Thread.sleep(200); // longer than the longest coalescing window: everything held is delivered
                String report = new String(readings.call(REPORT, new byte[0], Duration.ofSeconds(5)),
                        StandardCharsets.UTF_8);
                context.log().println("sensor: emitted " + EVENTS + " accepted " + accepted + " in "
                        + nanos / 1_000_000 + " ms; sink got " + report.replace(" ", " frames standing for ")
                        + " events");
            } catch (CallFailedException | InterruptedException e) {
                context.log().println("sensor: report failed: " + e);
            }
        }
    }

    /**
     * Turns the sensor's storm on once the test drops {@link #TRIGGER} into its state directory, as an operator's
     * {@code atomic inject} would: through the sensor's own service.
     */
    public static final class StormSwitch implements Component {
        static final String TRIGGER = "storm.on";
        private ComponentContext context;
        private ServiceClient sensor;

        @Override
        public void init(ComponentContext context) {
            this.context = context;
            this.sensor = context.client(SensorDriver.SERVICE);
        }

        /**
         * Asks the sensor for its calm rate first: a system whose drivers only send events answers no request, and
         * Atomic is ready once one is answered. Asked from a thread of its own, not from {@code start}: the host
         * reads SERVICE_UP only once {@code start} returned, so a start waiting for a provider still starting would
         * wait for ever.
         */
        @Override
        public void start() {
            java.nio.file.Path trigger = java.nio.file.Path.of(System.getenv("ATOMIC_STATE_DIR")).resolve(TRIGGER);
            Thread.ofPlatform().name("storm-switch").start(() -> {
                try {
                    while (true) { // the sensor starts beside it, and may not be up yet
                        try {
                            sensor.call(SensorDriver.RATE, new byte[4], Duration.ofSeconds(30));
                            break;
                        } catch (CallFailedException e) {
                            Thread.sleep(50);
                        }
                    }
                    while (!java.nio.file.Files.exists(trigger)) {
                        Thread.sleep(20);
                    }
                    // The answer travels behind the storm on the sensor's own lane: it may never come, and need not.
                    sensor.callAsync(SensorDriver.STORM, new byte[]{1}, Duration.ofSeconds(5));
                    context.log().println("storm-switch: storm on asked");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }
}
