package dev.atomic.bench;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchSystemTest {
    @Test
    void everyBootedRunIsAValidSystemFoundByItsName() {
        for (BridgePath path : List.of(BridgeLineup.BROKERED, BridgeLineup.FAST_PATH)) {
            for (Workload w : path.workloads()) {
                if (!path.runs(w)) {
                    continue;
                }
                BenchSystem system = new BenchSystem(path.route(), w, new Counts(10, 320));
                assertEquals(Optional.of(system), BenchSystem.parse(system.name()));
                // What the Sovereign, the Engine and every component host do with the name they are given:
                SystemSpec spec = SystemSpec.builtIn(system.name());
                assertEquals(system.name(), spec.name());
                assertEquals(w == Workload.ZERO_COPY_64KIB ? 1 : 0, spec.pools().size(), system.name());
                assertEquals(path == BridgeLineup.FAST_PATH ? 1 : 0, spec.fastPaths().size(), system.name());
                boolean critical = w == Workload.CRITICAL_64B || w == Workload.CRITICAL_64B_FLOODED;
                assertEquals(critical, spec.component("flooder").isPresent(), system.name());
                assertEquals(critical ? ComponentSpec.INPUT_WEIGHT : 0, spec.component("ping").orElseThrow().cpuWeight(),
                        system.name());
            }
        }
    }

    @Test
    void otherNamesAreLeftToOtherProviders() {
        BenchSystems provider = new BenchSystems();
        assertTrue(provider.system("default").isEmpty());
        assertTrue(provider.system("bench-sideways-rt64-1-1").isEmpty());
        assertTrue(provider.system("bench-brokered-rt65-1-1").isEmpty());
    }
}
