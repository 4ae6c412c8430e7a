package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Image;
import dev.atomic.component.Kernel;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.SandboxGrants;
import dev.atomic.component.StateKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Policy 5's planned demotion and its lifting, as the Sovereign keeps them: never past the manifest's tier. */
class PartitionsTest {
    private static ComponentSpec at(int tier) {
        return new ComponentSpec("echo", Kernel.SERVICES, "service", Image.java("x.Echo"), List.of(), List.of(), 1, 1,
                1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, tier);
    }

    @Test
    void aPlannedDemotionTakesEffectAtTheNextStartAndItsLiftingNeverGivesMoreThanTheManifest() throws Exception {
        Partitions partitions = new Partitions(kernel -> {
            throw new AssertionError("no partition host is started, nor told to unload anything");
        });
        ComponentSpec tier1 = at(1);
        partitions.demoteAtNextStart(3);
        assertFalse(partitions.partitioned(3, tier1));
        assertEquals(2, partitions.effective(3, tier1).tier(), "started sandboxed, in a process of its own");
        assertEquals("tier 2 (demoted from tier 1)", partitions.tier(3, tier1));
        partitions.lift(3);
        assertTrue(partitions.partitioned(3, tier1), "back in its kernel's partition host");
        partitions.lift(4);
        assertFalse(partitions.partitioned(4, at(2)), "a Tier 2 component is never lifted into a partition host");
    }

    @Test
    void anEarnedTier1StartsSandboxedUntilPolicy5MovesItIn() {
        Partitions partitions = new Partitions(kernel -> {
            throw new AssertionError("no partition host is started here");
        });
        ComponentSpec earning = at(1);
        earning = new ComponentSpec(earning.id(), earning.kernel(), earning.kind(), earning.image(), List.of(),
                List.of(), 1, 1, 1, 0, 0, "1.0.0", RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, 1,
                earning.activation(), List.of(), earning.watch(), List.of(), true);
        assertFalse(partitions.partitioned(5, earning), "sandboxed until it has earned Tier 1");
        assertEquals("tier 2 (earning tier 1)", partitions.tier(5, earning));
        ComponentSpec started = partitions.effective(5, earning);
        assertEquals(2, started.tier());
        assertFalse(started.tierEarned(), "a Tier 2 spec earns nothing");
        partitions.lift(5);
        assertTrue(partitions.partitioned(5, earning), "policy 5 moved it in");
        assertEquals("tier 1", partitions.tier(5, earning));
        partitions.demoteAtNextStart(5);
        assertFalse(partitions.partitioned(5, earning), "and out again");
        assertEquals("tier 2 (demoted from tier 1)", partitions.tier(5, earning));
    }
}
