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
 * The system {@code HostileComponentTest} boots: the echo service, a well-behaved app that calls it, and a saboteur
 * that attacks the Engine through its own lanes. Found through {@code META-INF/services} on the class path, which
 * every Atomic process the test starts inherits.
 */
public final class HostileSystems implements SystemProvider {
    static final String NAME = "hostile";
    private static final long MIB = 1024 * 1024;
    /**
     * Low enough that even a busy Engine on two shared CPUs reads the saboteur's whole allowance in every window:
     * the Engine counts a window towards the cut-off only when it did.
     */
    static final long SABOTEUR_RATE = 10_000;

    static final SystemSpec HOSTILE = new SystemSpec(NAME, List.of(
            new ComponentSpec("echo", Kernel.SERVICES, "service", "dev.atomic.demo.EchoService",
                    refs("echo@1"), refs(), 192 * MIB, 64, SystemSpec.DEFAULT_RATE),
            new ComponentSpec("steady", Kernel.DAK, "app", SteadyApp.class.getName(),
                    refs(), refs("echo@1#1"), 192 * MIB, 64, SystemSpec.DEFAULT_RATE),
            new ComponentSpec("saboteur", Kernel.DAK, "app", Saboteur.class.getName(),
                    refs(), refs("echo@1#1"), 192 * MIB, 64, SABOTEUR_RATE)),
            // Steady never uses its pool: it is there for the saboteur to reference a buffer it does not own.
            List.of(new PoolSpec("steady", "echo", 4, 4096), new PoolSpec("saboteur", "echo", 4, 4096)));

    @Override
    public Optional<SystemSpec> system(String name) {
        return NAME.equals(name) ? Optional.of(HOSTILE) : Optional.empty();
    }

    /** The Sovereign numbers slots, and pools, in the order of the spec. */
    static int slotOf(String component) {
        for (int slot = 0; slot < HOSTILE.components().size(); slot++) {
            if (HOSTILE.components().get(slot).id().equals(component)) {
                return slot;
            }
        }
        throw new IllegalArgumentException("no component " + component);
    }

    static int poolOf(String caller) {
        for (int id = 0; id < HOSTILE.pools().size(); id++) {
            if (HOSTILE.pools().get(id).caller().equals(caller)) {
                return id;
            }
        }
        throw new IllegalArgumentException("no pool for " + caller);
    }
}
