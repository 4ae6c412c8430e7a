package dev.atomic.bench;

import dev.atomic.component.Activation;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.SystemSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The systems of the idle benchmark: {@link #SLEEPERS} services that only ever answer ({@link Sleeper}), on demand
 * ({@code bench-idle-on-demand}) or always running ({@code bench-idle-always}); three more whose first-request
 * latency is measured (one that stops when idle, one that only freezes, one always running); and {@link Waker}, the
 * Drivers &amp; Apps component that calls them when the harness says.
 *
 * @param onDemand whether the sleepers start on demand, or at boot
 */
record IdleSystem(boolean onDemand) {
    static final int SLEEPERS = 20;
    static final String FROM_STOPPED = "wake-stopped";
    static final String FROM_FROZEN = "wake-frozen";
    static final String RUNNING = "wake-running";
    /** Sleepers freeze soon; their stop timeout outlasts any run, so they stay frozen through the measured window. */
    static final Activation SLEEPING = Activation.onDemand(Duration.ofSeconds(1), Duration.ofHours(1));
    private static final Activation FREEZING = Activation.onDemand(Duration.ofMillis(200), Duration.ofHours(1));
    private static final Activation STOPPING = Activation.onDemand(Duration.ofMillis(200), Duration.ofMillis(400));
    private static final long MEMORY = 192L * 1024 * 1024;
    private static final long PIDS = 64;
    private static final String PREFIX = "bench-idle-";

    String name() {
        return PREFIX + (onDemand ? "on-demand" : "always");
    }

    static Optional<IdleSystem> parse(String name) {
        return name.equals(PREFIX + "on-demand") ? Optional.of(new IdleSystem(true))
                : name.equals(PREFIX + "always") ? Optional.of(new IdleSystem(false)) : Optional.empty();
    }

    static List<String> sleepers() {
        return IntStream.rangeClosed(1, SLEEPERS).mapToObj(i -> String.format("sleeper-%02d", i)).toList();
    }

    SystemSpec spec() {
        List<ComponentSpec> components = new ArrayList<>();
        List<String> called = new ArrayList<>(sleepers());
        for (String id : sleepers()) {
            components.add(service(id, onDemand ? SLEEPING : Activation.BOOT));
        }
        components.add(service(FROM_STOPPED, STOPPING));
        components.add(service(FROM_FROZEN, FREEZING));
        components.add(service(RUNNING, Activation.BOOT));
        called.addAll(List.of(FROM_STOPPED, FROM_FROZEN, RUNNING));
        components.add(new ComponentSpec("waker", Kernel.DAK, "app", Waker.class.getName(), refs(),
                called.stream().map(s -> ServiceRef.parse(s + "@1")).toList(), MEMORY, PIDS, SystemSpec.DEFAULT_RATE));
        return new SystemSpec(name(), components);
    }

    /** A service named after its component, as {@link Sleeper} provides it. */
    private static ComponentSpec service(String id, Activation activation) {
        return new ComponentSpec(id, Kernel.SERVICES, "service", Sleeper.class.getName(), refs(id + "@1"), refs(),
                MEMORY, PIDS, SystemSpec.DEFAULT_RATE).withActivation(activation);
    }
}
