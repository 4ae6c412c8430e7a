package dev.atomic.bench;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The live policy benchmark's faulty component: steady for {@link #LEAK_AFTER} after it starts (long enough for the
 * policies to learn its baseline), then a slow leak: {@link #STEP} mapped and touched each second (as {@link Leaker}
 * does, past the JVM's own caps) until it is restarted, or killed at its limit.
 */
public final class SlowLeaker implements Component {
    static final Duration LEAK_AFTER = Duration.ofSeconds(75);
    static final long STEP = 4 * CarvingSystem.MIB;
    static final String LEAKING = "slow-leaker: leaking ";

    private PrintStream log;
    private volatile boolean running = true;

    @Override
    public void init(ComponentContext context) {
        log = context.log();
    }

    @Override
    public void start() {
        Thread.ofPlatform().daemon().name("slow-leaker").start(this::leak);
    }

    private void leak() {
        List<MemorySegment> held = new ArrayList<>();
        long total = 0;
        try {
            Thread.sleep(LEAK_AFTER);
            log.println(LEAKING + STEP / CarvingSystem.MIB + " MiB a second (pid " + ProcessHandle.current().pid()
                    + ")");
            MethodHandle mmap = Leaker.mmap();
            while (running) {
                MemorySegment s = Leaker.map(mmap, STEP);
                s.fill((byte) 0x5a);
                held.add(s);
                total += STEP;
                Thread.sleep(1000);
            }
        } catch (Throwable e) {
            log.println("slow-leaker: stopped at " + total / CarvingSystem.MIB + " MiB: " + e);
        }
    }

    @Override
    public void stop() {
        running = false;
    }
}
