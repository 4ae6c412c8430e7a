package dev.atomic.console;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.PoolSpec;
import dev.atomic.component.SystemProvider;
import dev.atomic.component.SystemSpec;

import java.util.List;
import java.util.Optional;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The system {@code SandboxEscapeTest} boots: the default system's echo service and demo app, whose traffic shows the
 * system keeps running, and an {@link Intruder} that tries to get out of its sandbox.
 */
public final class IntruderSystems implements SystemProvider {
    static final String NAME = "intruder";
    private static final long MIB = 1024 * 1024;

    static final SystemSpec INTRUDER = new SystemSpec(NAME, List.of(
            new ComponentSpec("echo", Kernel.SERVICES, "service", "dev.atomic.demo.EchoService",
                    refs("echo@1"), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE),
            new ComponentSpec("demo-app", Kernel.DAK, "app", "dev.atomic.demo.DemoApp",
                    refs(), refs("echo@1#1"), 192 * MIB, 64, SystemSpec.DEFAULT_RATE),
            new ComponentSpec("intruder", Kernel.DAK, "app", Intruder.class.getName(),
                    refs(), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE)),
            List.of(new PoolSpec("demo-app", "echo", 8, 64 * 1024)));

    @Override
    public Optional<SystemSpec> system(String name) {
        return NAME.equals(name) ? Optional.of(INTRUDER) : Optional.empty();
    }
}
