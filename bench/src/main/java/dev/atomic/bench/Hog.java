package dev.atomic.bench;

import dev.atomic.auditor.CpuList;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bad neighbour of the carving benchmark, in the Drivers &amp; Apps kernel: one thread per CPU of the machine,
 * each spinning for as long as the component runs. Only carving (its kernel's CPU cap) keeps it off the CPU time
 * the management plane needs.
 */
public final class Hog implements Component {
    static final String SPINNING = "hog: spinning on ";

    private PrintStream log;
    private volatile boolean running = true;
    /** Where the spinning goes, so that it is never optimised away. */
    private volatile long sink;

    @Override
    public void init(ComponentContext context) {
        log = context.log();
    }

    @Override
    public void start() {
        int threads = machineCpus();
        for (int i = 0; i < threads; i++) {
            Thread.ofPlatform().daemon().name("hog-" + i).start(this::spin);
        }
        log.println(SPINNING + threads + " thread(s), one per CPU of the machine");
    }

    private void spin() {
        long x = 1;
        while (running) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        sink = x;
    }

    /**
     * Every online CPU, whatever this process may use: its cgroup's CPU cap may make the JVM see fewer (container
     * awareness), and the hog is to try the same in both runs.
     */
    static int machineCpus() {
        try {
            return CpuList.parse(Files.readString(Path.of("/sys/devices/system/cpu/online"))).size();
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    @Override
    public void stop() {
        running = false;
    }
}
