package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which components share a partition host, and the Tier 1 systems that are refused. */
class PartitionTest {
    private static ComponentSpec service(String id, int tier) {
        return new ComponentSpec(id, Kernel.SERVICES, "service", "x.Y", refs(id + "@1"), refs(), 64 << 20, 16,
                SystemSpec.DEFAULT_RATE).withTier(tier);
    }

    private static ComponentSpec withGrants(ComponentSpec c, SandboxGrants grants) {
        return new ComponentSpec(c.id(), c.kernel(), c.kind(), c.image(), c.provides(), c.calls(), c.memoryMaxBytes(),
                c.pidsMax(), c.rateBudget(), c.cpuLimit(), c.cpuWeight(), c.version(), c.restart(), c.state(), grants,
                c.tier(), c.activation(), c.observe(), c.watch());
    }

    @Test
    void theTier1ComponentsOfAKernelShareItsPartitionInSlotOrder() {
        SystemSpec system = new SystemSpec("s", List.of(service("a", 1), service("b", 2), service("c", 1),
                new ComponentSpec("d", Kernel.DAK, "app", "x.Z", refs(), refs(), 64 << 20, 16,
                        SystemSpec.DEFAULT_RATE).withTier(1)));
        assertEquals(List.of(0, 2), Partition.slots(system, Kernel.SERVICES));
        assertEquals(List.of(3), Partition.slots(system, Kernel.DAK));
        assertEquals("partition-services", Partition.id(Kernel.SERVICES));
    }

    @Test
    void tier1ComponentsOfOneKernelWithDifferentGrantsAreRefused() {
        ComponentSpec b = withGrants(service("b", 1), new SandboxGrants(List.of("/srv"), List.of(), false));
        var e = assertThrows(IllegalArgumentException.class, () -> new SystemSpec("s", List.of(service("a", 1), b)));
        assertEquals("system 's': a cannot be Tier 1: its [sandbox] grants differ from b's, which shares its "
                + "partition host", e.getMessage());
        new SystemSpec("s", List.of(service("a", 2), b)); // a Tier 2 neighbour shares nothing
    }

    @Test
    void aTier1ComponentStartedOnDemandIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SystemSpec("s", List.of(
                service("a", 1).withActivation(Activation.onDemand(Duration.ofSeconds(1), Duration.ofSeconds(2))))));
        assertEquals("system 's': a cannot be Tier 1: it starts on demand, and freezing it would freeze its partition",
                e.getMessage());
    }
}
