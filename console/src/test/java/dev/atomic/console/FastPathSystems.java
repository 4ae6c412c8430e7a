package dev.atomic.console;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.FastPathSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.util.List;
import java.util.Optional;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The system {@code FastPathEndToEndTest} boots: steady calls echo over a fast path that the policy revokes and
 * re-opens every {@link #CHURN_MILLIS} ms, so that many revocations fall in the middle of its traffic.
 */
public final class FastPathSystems implements SystemProvider {
    static final String NAME = "fastpath";
    static final long CHURN_MILLIS = 150;
    private static final long MIB = 1024 * 1024;

    @Override
    public Optional<SystemSpec> system(String name) {
        if (!NAME.equals(name)) {
            return Optional.empty();
        }
        return Optional.of(new SystemSpec(NAME, List.of(
                new ComponentSpec("echo", Kernel.SERVICES, "service", "dev.atomic.demo.EchoService",
                        refs("echo@1"), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE),
                new ComponentSpec("steady", Kernel.DAK, "app", SteadyApp.class.getName(),
                        refs(), refs("echo@1#1"), 192 * MIB, 64, SystemSpec.DEFAULT_RATE)),
                List.of(), List.of(new FastPathSpec("steady", "echo", CHURN_MILLIS))));
    }
}
