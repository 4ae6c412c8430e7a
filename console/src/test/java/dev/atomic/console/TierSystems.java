package dev.atomic.console;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceClient;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The system {@code TierEndToEndTest} boots: {@code steady}, {@code crasher} and {@code stormer}, Tier 1 services
 * sharing the services kernel's partition host, and {@code caller}, a Tier 2 app that calls steady all the time and
 * counts.
 */
public final class TierSystems implements SystemProvider {
    static final String NAME = "tiers";
    private static final long MIB = 1024 * 1024;
    /** The stormer's rate budget, frames a second: low, so that its storm is cut off within a second. */
    private static final long STORMER_RATE = 1000;

    @Override
    public Optional<SystemSpec> system(String name) {
        return NAME.equals(name) ? Optional.of(new SystemSpec(NAME, List.of(
                new ComponentSpec("steady", Kernel.SERVICES, "service", Steady.class.getName(), refs("steady@1"),
                        refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE).withTier(1),
                new ComponentSpec("crasher", Kernel.SERVICES, "service", Crasher.class.getName(), refs("crashy@1"),
                        refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE).withTier(1),
                new ComponentSpec("stormer", Kernel.SERVICES, "service", Stormer.class.getName(), refs(),
                        refs("steady@1"), 192 * MIB, 64, STORMER_RATE).withTier(1),
                new ComponentSpec("caller", Kernel.DAK, "app", Caller.class.getName(), refs(), refs("steady@1"),
                        192 * MIB, 64, SystemSpec.DEFAULT_RATE)))) : Optional.empty();
    }

    /**
     * Answers {@code <pid>/<module>}: the process it runs in (a partition host is not sandboxed: the host's pid) and
     * the module its class is in.
     */
    public static final class Steady implements Component {
        @Override
        public void init(ComponentContext context) {
            context.provide("steady", (method, request) -> (ProcessHandle.current().pid() + "/"
                    + Steady.class.getModule().getName()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Fails whenever the test drops {@code crash} in its state directory: a thread of its own dies of an uncaught
     * exception, or, when the file says {@code exit}, it exits through the SDK.
     */
    public static final class Crasher implements Component {
        private ComponentContext context;

        @Override
        public void init(ComponentContext context) {
            this.context = context;
            context.provide("crashy", (method, request) -> new byte[0]);
        }

        @Override
        public void start() {
            Path order = Path.of(System.getenv("ATOMIC_STATE_DIR"), "crash");
            Thread.ofPlatform().daemon().name("crash-on-command").start(() -> {
                while (!Files.exists(order)) {
                    sleep();
                }
                String how;
                try {
                    how = Files.readString(order).trim();
                    Files.delete(order);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (how.equals("exit")) {
                    context.exit("asked to exit");
                }
                throw new IllegalStateException("crashed on command");
            });
        }
    }

    /**
     * Floods steady with events once the test drops {@code storm} in its state directory, until its thread is
     * interrupted: a live fault, which the Engine must cut off without killing its neighbours' process.
     */
    public static final class Stormer implements Component {
        private ServiceClient steady;

        @Override
        public void init(ComponentContext context) {
            steady = context.client("steady");
        }

        @Override
        public void start() {
            Path order = Path.of(System.getenv("ATOMIC_STATE_DIR"), "storm");
            Thread.ofPlatform().daemon().name("storm").start(() -> {
                while (!Files.exists(order)) {
                    sleep();
                }
                byte[] event = new byte[8];
                while (!Thread.currentThread().isInterrupted()) {
                    steady.emit(1, event);
                }
            });
        }
    }

    /** Calls steady every 20 ms and keeps {@code <answered> <failed> <steady's last answer>} in its state directory. */
    public static final class Caller implements Component {
        private ServiceClient steady;

        @Override
        public void init(ComponentContext context) {
            steady = context.client("steady");
        }

        @Override
        public void start() {
            Path counts = Path.of(System.getenv("ATOMIC_STATE_DIR"), "counts");
            Thread.ofPlatform().daemon().name("caller").start(() -> {
                long answered = 0;
                long failed = 0;
                String pid = "-";
                while (true) {
                    try {
                        pid = new String(steady.call(1, new byte[0], Duration.ofSeconds(2)), StandardCharsets.UTF_8);
                        answered++;
                    } catch (CallFailedException e) {
                        failed++;
                    }
                    try {
                        Path next = counts.resolveSibling("counts.new");
                        Files.writeString(next, answered + " " + failed + " " + pid);
                        Files.move(next, counts, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    sleep();
                }
            });
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
