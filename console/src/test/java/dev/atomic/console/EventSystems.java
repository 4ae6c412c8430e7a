package dev.atomic.console;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceClient;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

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

    @Override
    public Optional<SystemSpec> system(String name) {
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
}
