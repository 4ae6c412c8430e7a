package dev.atomic.bench;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;

import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A bad neighbour of the carving benchmark, in the Drivers &amp; Apps kernel: maps and touches memory, {@link #STEP}
 * every {@link #PACE}, until its cgroup's memory limit has it killed. With carving off nothing stops it, so it stops
 * itself at {@link #CAP} and holds that, touching every page again each second, so it stays resident.
 *
 * <p>The memory comes from {@code mmap} directly, not from the Java heap nor from {@code Arena}/direct buffers:
 * those are capped by the JVM itself (at the component's 64 MiB heap size), and the point is the kernel's limit.
 */
public final class Leaker implements Component {
    static final long STEP = 8 * CarvingSystem.MIB;
    static final long CAP = 1024 * CarvingSystem.MIB;
    static final Duration PACE = Duration.ofMillis(100);
    static final String STARTED = "leaker: started";
    static final String HELD = "leaker: holding ";
    private static final long REPORT_EVERY = 64 * CarvingSystem.MIB;
    private static final long PAGE = 4096;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final long MAP_FAILED = -1;

    private PrintStream log;
    private volatile boolean running = true;

    @Override
    public void init(ComponentContext context) {
        log = context.log();
    }

    @Override
    public void start() {
        log.println(STARTED + " (pid " + ProcessHandle.current().pid() + "): " + STEP / CarvingSystem.MIB
                + " MiB every " + PACE.toMillis() + " ms, up to " + CAP / CarvingSystem.MIB + " MiB");
        Thread.ofPlatform().daemon().name("leaker").start(this::leak);
    }

    private void leak() {
        List<MemorySegment> held = new ArrayList<>();
        long total = 0;
        try {
            MethodHandle mmap = mmap();
            while (running && total < CAP) {
                MemorySegment s = map(mmap, STEP);
                s.fill((byte) 0x5a); // touched: now it is memory the kernel has to find
                held.add(s);
                total += STEP;
                if (total % REPORT_EVERY == 0) {
                    log.println(HELD + total / CarvingSystem.MIB + " MiB");
                }
                Thread.sleep(PACE);
            }
            log.println("leaker: reached its own cap of " + total / CarvingSystem.MIB + " MiB; holding it");
            for (byte round = 0; running; round++) {
                for (MemorySegment s : held) {
                    for (long at = 0; at < s.byteSize(); at += PAGE) {
                        s.set(ValueLayout.JAVA_BYTE, at, round);
                    }
                }
                Thread.sleep(1000);
            }
        } catch (Throwable e) {
            log.println("leaker: stopped at " + total / CarvingSystem.MIB + " MiB: " + e);
        }
    }

    @SuppressWarnings("restricted") // every Atomic JVM runs with --enable-native-access
    static MethodHandle mmap() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    @SuppressWarnings("restricted")
    static MemorySegment map(MethodHandle mmap, long bytes) throws Throwable {
        MemorySegment at = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE,
                MAP_PRIVATE_ANONYMOUS, -1, 0L);
        if (at.address() == MAP_FAILED) {
            throw new OutOfMemoryError("mmap of " + bytes + " bytes failed");
        }
        return at.reinterpret(bytes);
    }

    @Override
    public void stop() {
        running = false;
    }
}
