package dev.atomic.drivers.input;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceClient;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An input driver: key presses at a steady {@link #RATE} a second from a generator (the sandbox has no keyboard to
 * read), each sent to {@link #SERVICE} as a critical event, so that the Engine reads it before every other lane and
 * never coalesces it. A press the lane refuses (full: back-pressure) is sent again at the next tick, never skipped:
 * the sink's sequence check counts on it.
 */
public final class InputDriver implements Component {
    public static final String SERVICE = "input-events";
    public static final int KEY = 1;
    /** Key presses a second: a fast typist's burst, held. */
    public static final int RATE = 200;
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1) / RATE;

    private ServiceClient events;
    private volatile boolean running = true;
    private Thread generator;

    @Override
    public void init(ComponentContext context) {
        events = context.client(SERVICE);
    }

    @Override
    public void start() {
        generator = Thread.ofPlatform().name("input-generator").daemon().start(this::generate);
    }

    private void generate() {
        long sequence = 0;
        for (long due = System.nanoTime(); running; due += PERIOD_NANOS) {
            for (long wait; (wait = due - System.nanoTime()) > 0 && running; ) {
                LockSupport.parkNanos(wait);
            }
            KeyEvent press = new KeyEvent(sequence, 'a' + (int) (sequence % 26), System.nanoTime());
            if (events.emitCritical(KEY, press.encode())) {
                sequence++;
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (generator != null) {
            LockSupport.unpark(generator);
        }
    }
}
