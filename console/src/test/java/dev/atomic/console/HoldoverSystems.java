package dev.atomic.console;

import dev.atomic.component.CallFailedException;
import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceClient;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The system {@code FailoverEndToEndTest} kills the Engine under: a holder that keeps every request it is asked for
 * a while before it answers (so that a call is surely in flight when the Engine dies), and an asker that calls it
 * again and again, one call at a time, and logs how each ended.
 */
public final class HoldoverSystems implements SystemProvider {
    static final String NAME = "holdover";
    /** Long enough to kill an Engine and have the next take over while the holder keeps the call. */
    static final Duration HOLD = Duration.ofSeconds(4);
    private static final long MIB = 1024 * 1024;

    @Override
    public Optional<SystemSpec> system(String name) {
        return NAME.equals(name) ? Optional.of(new SystemSpec(NAME, List.of(
                new ComponentSpec("holder", Kernel.SERVICES, "service", Holder.class.getName(),
                        refs("hold@1"), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE),
                new ComponentSpec("asker", Kernel.DAK, "app", Asker.class.getName(),
                        refs(), refs("hold@1"), 192 * MIB, 64, SystemSpec.DEFAULT_RATE)))) : Optional.empty();
    }

    /** Logs {@code holding <n>}, keeps the request for {@link #HOLD}, then answers {@code held <n>}. */
    public static final class Holder implements Component {
        @Override
        public void init(ComponentContext context) {
            PrintStream log = context.log();
            context.provide("hold", (method, request) -> {
                String n = new String(request, StandardCharsets.UTF_8);
                log.println("holding " + n);
                Thread.sleep(HOLD);
                return ("held " + n).getBytes(StandardCharsets.UTF_8);
            });
        }
    }

    /** Calls the holder with 0, 1, 2, ... one at a time, logging how each call ended: answered or failed. */
    public static final class Asker implements Component {
        private ServiceClient hold;
        private PrintStream log;

        @Override
        public void init(ComponentContext context) {
            hold = context.client("hold");
            log = context.log();
        }

        @Override
        public void start() {
            Thread.ofPlatform().daemon().name("asker").start(() -> {
                for (long n = 0; ; n++) {
                    try {
                        byte[] reply = hold.call(1, Long.toString(n).getBytes(StandardCharsets.UTF_8),
                                HOLD.multipliedBy(8));
                        log.println("answered " + n + ": " + new String(reply, StandardCharsets.UTF_8));
                    } catch (CallFailedException e) {
                        log.println("failed " + n + ": " + e.getMessage());
                    }
                }
            });
        }
    }
}
