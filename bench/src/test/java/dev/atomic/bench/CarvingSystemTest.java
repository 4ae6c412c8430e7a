package dev.atomic.bench;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CarvingSystemTest {
    @Test
    void theDefaultAndTimedSystemsAreValidAndFoundByTheirNames() {
        for (CarvingSystem system : List.of(CarvingSystem.DEFAULT, CarvingBench.Plan.full().system(),
                CarvingBench.Plan.quick().system(), new CarvingSystem(Duration.ZERO, Duration.ofMillis(1)))) {
            assertEquals(Optional.of(system), CarvingSystem.parse(system.name()));
            // What the Sovereign, the Engine and every component host do with the name they are given:
            SystemSpec spec = SystemSpec.builtIn(system.name());
            assertEquals(system.name(), spec.name());
            assertEquals(List.of("probe", "prober", "hog", "leaker"),
                    spec.components().stream().map(ComponentSpec::id).toList());
        }
        assertEquals("bench-carving", CarvingSystem.DEFAULT.name());
        assertEquals("bench-carving-2000-5000", CarvingBench.Plan.quick().system().name());
    }

    @Test
    void theManagementPlaneIsInTheServicesKernelAndTheNeighboursInDriversAndApps() {
        SystemSpec spec = CarvingSystem.DEFAULT.spec();
        assertEquals(Kernel.SERVICES, spec.component("probe").orElseThrow().kernel());
        ComponentSpec prober = spec.component("prober").orElseThrow();
        assertEquals(Kernel.SERVICES, prober.kernel());
        assertNotNull(prober.grant(CarvingSystem.PROBE), "the prober may call the probe");
        assertEquals(Kernel.DAK, spec.component("hog").orElseThrow().kernel());
        ComponentSpec leaker = spec.component("leaker").orElseThrow();
        assertEquals(Kernel.DAK, leaker.kernel());
        assertEquals(CarvingSystem.LEAKER_LIMIT, leaker.memoryMaxBytes());
        assertTrue(Leaker.CAP > CarvingSystem.LEAKER_LIMIT, "with carving on the limit must stop it, not its cap");
        assertEquals(0, Leaker.CAP % Leaker.STEP);
    }

    @Test
    void otherNamesAreLeftToOtherProviders() {
        BenchSystems provider = new BenchSystems();
        assertTrue(provider.system("bench-carving").isPresent());
        assertTrue(provider.system("bench-carving-1000-0").isEmpty(), "nothing to measure");
        assertTrue(provider.system("bench-carving-1000").isEmpty());
        assertTrue(provider.system("bench-carving-99999999999999999999-1").isEmpty());
        assertTrue(provider.system("bench-carvingx").isEmpty());
        assertTrue(provider.system("default").isEmpty());
        // The bridge benchmark's systems are still found.
        assertTrue(provider.system(new BenchSystem(BenchSystem.Route.BROKERED, Workload.ROUND_TRIP_64B,
                new Counts(1, 1)).name()).isPresent());
    }
}
