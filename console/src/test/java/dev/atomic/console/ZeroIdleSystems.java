package dev.atomic.console;

import dev.atomic.component.Activation;
import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceClient;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The system {@code ZeroIdleEndToEndTest} boots: {@code lazy}, an on-demand service (frozen after
 * {@link #FREEZE} idle, stopped after {@link #STOP}), and {@code poker}, which calls it when the test asks.
 */
public final class ZeroIdleSystems implements SystemProvider {
    static final String NAME = "zero-idle";
    static final Duration FREEZE = Duration.ofSeconds(1);
    static final Duration STOP = Duration.ofSeconds(6);
    private static final long MIB = 1024 * 1024;

    @Override
    public Optional<SystemSpec> system(String name) {
        return NAME.equals(name) ? Optional.of(new SystemSpec(NAME, List.of(
                new ComponentSpec("lazy", Kernel.SERVICES, "service", Lazy.class.getName(), refs("lazy@1"), refs(),
                        192 * MIB, 64, SystemSpec.DEFAULT_RATE).withActivation(Activation.onDemand(FREEZE, STOP)),
                new ComponentSpec("poker", Kernel.DAK, "app", Poker.class.getName(), refs(), refs("lazy@1"),
                        192 * MIB, 64, SystemSpec.DEFAULT_RATE)))) : Optional.empty();
    }

    /**
     * Answers {@code lazy <n> from process <token>}, the token drawn when its process started: in its own pid
     * namespace every component is pid 1.
     */
    public static final class Lazy implements Component {
        private static final long TOKEN = new java.security.SecureRandom().nextLong() >>> 1;

        @Override
        public void init(ComponentContext context) {
            context.provide("lazy", (method, request) -> ("lazy " + new String(request, StandardCharsets.UTF_8)
                    + " from process " + TOKEN).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * For each file {@code call-<n>} the test drops in its state directory, calls lazy with {@code n} and writes what
     * came back (or why nothing did) to {@code answer-<n>}.
     */
    public static final class Poker implements Component {
        private ServiceClient lazy;
        private PrintStream log;
        private Path dir;

        @Override
        public void init(ComponentContext context) {
            lazy = context.client("lazy");
            log = context.log();
            dir = Path.of(System.getenv("ATOMIC_STATE_DIR"));
        }

        @Override
        public void start() {
            Thread.ofPlatform().daemon().name("poker").start(() -> {
                try {
                    for (int n = 1; ; n++) {
                        Path call = dir.resolve("call-" + n);
                        while (!Files.exists(call)) {
                            Thread.sleep(20);
                        }
                        String answer;
                        try {
                            answer = new String(lazy.call(1, Integer.toString(n).getBytes(StandardCharsets.UTF_8),
                                    Duration.ofSeconds(30)), StandardCharsets.UTF_8);
                        } catch (CallFailedException e) {
                            answer = "failed: " + e.getMessage();
                        }
                        log.println("call " + n + ": " + answer);
                        Path partial = dir.resolve("answer-" + n + ".partial");
                        Files.writeString(partial, answer);
                        Files.move(partial, dir.resolve("answer-" + n), StandardCopyOption.ATOMIC_MOVE);
                    }
                } catch (IOException | InterruptedException e) {
                    log.println("poker: " + e);
                }
            });
        }
    }
}
