package dev.atomic.drivers.sensor;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A sensor driver: readings to {@link #READINGS} as ordinary events, {@link #CALM_RATE} a second, coalesced when they
 * come fast (merged by the SDK within the window the Engine sets). Its service {@link #SERVICE} switches it:
 * {@link #STORM} into an interrupt storm (readings sent back to back: millions a second, the Engine's budget and
 * cut-off are what stop it), {@link #RATE} to a steady rate of its own.
 */
public final class SensorDriver implements Component {
    public static final String SERVICE = "sensor";
    public static final String READINGS = "readings";
    /** Payload: one byte, 1 on, 0 off. Answers "storm on" or "storm off". */
    public static final int STORM = 1;
    /** Payload: a big-endian int, readings a second (0: back to calm). Answers "rate N/s". */
    public static final int RATE = 2;
    public static final int READING = 1;
    public static final int CALM_RATE = 10;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private ServiceClient readings;
    private PrintStream log;
    private volatile boolean running = true;
    private volatile boolean storm;
    private volatile int rate = CALM_RATE;
    private Thread emitter;

    @Override
    public void init(ComponentContext context) {
        log = context.log();
        readings = context.client(READINGS);
        context.provideInline(SERVICE, (method, request) -> switch (method) {
            case STORM -> {
                boolean on = request.length == 1 && request[0] == 1;
                storm = on;
                LockSupport.unpark(emitter);
                log.println("sensor: storm " + (on ? "on" : "off"));
                yield text("storm " + (on ? "on" : "off"));
            }
            case RATE -> {
                int asked = request.length == 4 ? ByteBuffer.wrap(request).getInt() : -1;
                if (asked < 0) {
                    throw new IllegalArgumentException("rate takes a non-negative int: readings a second");
                }
                rate = asked == 0 ? CALM_RATE : asked;
                LockSupport.unpark(emitter);
                log.println("sensor: rate " + rate + "/s");
                yield text("rate " + rate + "/s");
            }
            default -> throw new IllegalArgumentException("no method " + method + ": 1 storm(on), 2 rate(n)");
        });
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void start() {
        emitter = Thread.ofPlatform().name("sensor-emitter").daemon().start(this::emit);
    }

    /** Steady readings at {@link #rate}, caught up tick by tick; flat out while {@link #storm} is on. */
    private void emit() {
        long sequence = 0;
        long since = System.nanoTime();
        long sent = 0;
        int pacedAt = rate;
        while (running) {
            if (storm) {
                sequence = storm(sequence);
                since = System.nanoTime();
                sent = 0;
                continue;
            }
            if (rate != pacedAt) {
                pacedAt = rate;
                since = System.nanoTime();
                sent = 0;
            }
            long due = (long) ((System.nanoTime() - since) / (double) SECOND * pacedAt); // no overflow at any rate
            for (; sent < due && !storm; sent++) {
                readings.emit(READING, reading(sequence++)); // refused when the lane is full: a reading lost
            }
            LockSupport.parkNanos(Math.max(TICK_NANOS, SECOND / pacedAt - TICK_NANOS));
        }
    }

    /** Sends back to back until switched off; each second logs how many it tried and how many the lane took. */
    private long storm(long sequence) {
        long attempted = 0;
        long accepted = 0;
        long second = System.nanoTime() + SECOND;
        while (storm && running) {
            if (readings.emit(READING, reading(sequence))) {
                accepted++;
            }
            attempted++;
            sequence++;
            if ((attempted & 1023) == 0 && System.nanoTime() - second >= 0) {
                log.println("sensor: storm: " + attempted + " readings attempted in the last second, " + accepted
                        + " taken (merged or by the lane)");
                attempted = 0;
                accepted = 0;
                second += SECOND;
            }
        }
        return sequence;
    }

    private static byte[] reading(long sequence) {
        // A raw sample: the sequence and a slowly varying value.
        return ByteBuffer.allocate(16).putLong(sequence).putLong(20_000 + sequence % 500).array();
    }

    @Override
    public void stop() {
        running = false;
        storm = false;
        LockSupport.unpark(emitter);
    }
}
