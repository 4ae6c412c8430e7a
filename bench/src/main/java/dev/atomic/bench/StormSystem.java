package dev.atomic.bench;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.Manifest;
import dev.atomic.component.SystemSpec;
import dev.atomic.drivers.input.InputManifests;
import dev.atomic.drivers.sensor.SensorDriver;
import dev.atomic.drivers.sensor.SensorManifests;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The storm benchmark's system: the input and sensor drivers with their sinks, exactly as their modules ship them, and
 * {@link StormConductor}, through which the harness switches the sensor. The live policy benchmark's
 * ({@link #POLICY_LIVE}) adds {@link SlowLeaker}, with a 256 MiB limit.
 */
final class StormSystem {
    static final String NAME = "bench-storm";
    static final String CONDUCTOR = "conductor";
    static final String POLICY_LIVE = "bench-policy-live";
    static final String LEAKER = "slow-leaker";
    private static final long MIB = 1024 * 1024;

    private StormSystem() {
    }

    static Optional<SystemSpec> parse(String name) {
        if (!NAME.equals(name) && !POLICY_LIVE.equals(name)) {
            return Optional.empty();
        }
        List<ComponentSpec> components = new ArrayList<>(Stream.of(InputManifests.read(), SensorManifests.read())
                .flatMap(List::stream).map(Manifest::component).toList());
        components.add(new ComponentSpec(CONDUCTOR, Kernel.DAK, "app", StormConductor.class.getName(), refs(),
                refs(SensorDriver.SERVICE + "@1#" + SensorDriver.STORM + "," + SensorDriver.RATE), 192 * MIB, 64,
                SystemSpec.DEFAULT_RATE));
        if (POLICY_LIVE.equals(name)) {
            components.add(new ComponentSpec(LEAKER, Kernel.DAK, "app", SlowLeaker.class.getName(), refs(), refs(),
                    CarvingSystem.LEAKER_LIMIT, 64, SystemSpec.DEFAULT_RATE));
        }
        return Optional.of(new SystemSpec(name, components));
    }
}
