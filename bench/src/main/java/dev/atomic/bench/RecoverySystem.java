package dev.atomic.bench;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import dev.atomic.component.SystemSpec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The systems of the recovery benchmark: {@link RecoveryClient}, in the Drivers &amp; Apps kernel, calls {@link Pong}
 * (the Services kernel's "responder") back to back; the harness kills the responder. In {@link #WARM} the responder's
 * manifest asks for a warm spare, in {@link #COLD} not. Its restart budget is far above the kill count and its window
 * the shortest (1 s), so that kills more than a second apart are each a first restart: no back-off delay.
 */
final class RecoverySystem {
    static final String WARM = "bench-recovery-warm";
    static final String COLD = "bench-recovery-cold";
    static final String RESPONDER = "responder";
    /** In the client's state directory: one line per outage it saw, "first-failure-nanos success-nanos". */
    static final String OUTAGES = "client.outages";
    private static final long MIB = 1024 * 1024;

    private RecoverySystem() {
    }

    static Optional<SystemSpec> parse(String name) {
        return WARM.equals(name) || COLD.equals(name) ? Optional.of(spec(WARM.equals(name))) : Optional.empty();
    }

    static SystemSpec spec(boolean spare) {
        RestartPolicy restart = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1000, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ofSeconds(10), spare);
        return new SystemSpec(spare ? WARM : COLD, List.of(
                new ComponentSpec(RESPONDER, Kernel.SERVICES, "service", Image.java(Pong.class.getName()),
                        refs(BenchSystem.SERVICE + "@1"), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE, 0, 0,
                        ComponentSpec.NO_VERSION, restart, StateKind.STATELESS, SandboxGrants.NONE,
                        ComponentSpec.DEFAULT_TIER),
                new ComponentSpec("client", Kernel.DAK, "app", RecoveryClient.class.getName(), refs(),
                        refs(BenchSystem.SERVICE + "@1#" + Pong.ROUND_TRIP), 192 * MIB, 64,
                        SystemSpec.DEFAULT_RATE)));
    }
}
