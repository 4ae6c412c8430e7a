package dev.atomic.component;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ComponentSpecTest {
    private static ComponentSpec spec(double cpuLimit, int cpuWeight) {
        return new ComponentSpec("key-input", Kernel.DAK, "driver", "x.Keys", refs(), refs(), 1 << 20, 8, 100,
                cpuLimit, cpuWeight);
    }

    @Test
    void theShorterConstructorsMeanNoCpuLimitAndTheDefaultWeight() {
        ComponentSpec nine = new ComponentSpec("a", Kernel.DAK, "app", "x.A", refs(), refs(), 1 << 20, 8, 100);
        assertEquals(0.0, nine.cpuLimit());
        assertEquals(0, nine.cpuWeight());
        ComponentSpec ten = new ComponentSpec("a", Kernel.DAK, "app", "x.A", refs(), refs(), 1 << 20, 8, 100, 0.5);
        assertEquals(0.5, ten.cpuLimit());
        assertEquals(0, ten.cpuWeight());
    }

    @Test
    void withCpuWeightChangesOnlyTheWeight() {
        ComponentSpec plain = spec(0.5, 0);
        ComponentSpec input = plain.withCpuWeight(ComponentSpec.INPUT_WEIGHT);
        assertEquals(ComponentSpec.INPUT_WEIGHT, input.cpuWeight());
        assertEquals(plain, input.withCpuWeight(0));
    }

    @Test
    void aWeightOutsideCgroupsRangeIsRefusedSayingWhy() {
        for (int bad : List.of(-1, 10_001)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec(0, bad));
            assertEquals("key-input: a CPU weight is 1 to 10000, or 0 for the default (100)", e.getMessage());
        }
        assertEquals(10_000, spec(0, 10_000).cpuWeight());
        assertEquals(1, spec(0, 1).cpuWeight());
    }

    @Test
    void theOlderConstructorsGiveAJavaImageAndTheDefaultsOfEveryNewerField() {
        ComponentSpec old = spec(0, 0);
        assertEquals(Image.java("x.Keys"), old.image());
        assertEquals("x.Keys", old.mainClass());
        assertEquals(ComponentSpec.NO_VERSION, old.version());
        assertEquals(RestartPolicy.DEFAULT, old.restart());
        assertEquals(StateKind.STATELESS, old.state());
        assertEquals(SandboxGrants.NONE, old.sandbox());
        assertEquals(2, old.tier());
    }

    @Test
    void anExecutableImageHasNoMainClassAndSaysSo() {
        ComponentSpec exec = new ComponentSpec("probe", Kernel.DAK, "driver", Image.exec("/opt/probe/bin/probe",
                List.of("--quiet")), refs(), refs(), 1 << 20, 8, 100, 0, 0, "1.0.0", RestartPolicy.DEFAULT,
                StateKind.STATELESS, SandboxGrants.NONE, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, exec::mainClass);
        assertEquals("probe's image is the executable /opt/probe/bin/probe, not a Java class: the Sovereign starts "
                + "it without a component host", e.getMessage());
        assertEquals("/opt/probe/bin/probe --quiet", exec.image().toString());
    }

    @Test
    void badValuesOfTheNewerFieldsAreRefusedSayingWhy() {
        assertEquals("key-input: a version is like 1.4.2 or 1.4.2-rc1, not \"1.x\"", assertThrows(
                IllegalArgumentException.class, () -> withVersionAndTier("1.x", 2)).getMessage());
        assertEquals("key-input: a tier is 1 or 2, not 3", assertThrows(IllegalArgumentException.class,
                () -> withVersionAndTier("1.0.0", 3)).getMessage());
        assertEquals("key-input: a kind is driver, app or service, not 'daemon'", assertThrows(
                IllegalArgumentException.class, () -> new ComponentSpec("key-input", Kernel.DAK, "daemon", "x.K",
                        refs(), refs(), 1, 1, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Image.java("not a class"));
        assertThrows(IllegalArgumentException.class, () -> Image.exec("relative/path", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SandboxGrants(List.of("/"), List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new SandboxGrants(List.of(), List.of("/a/../b"), false));
        assertThrows(IllegalArgumentException.class, () -> new RestartPolicy(RestartPolicy.Mode.NEVER, -1,
                java.time.Duration.ofSeconds(1)));
    }

    private static ComponentSpec withVersionAndTier(String version, int tier) {
        return new ComponentSpec("key-input", Kernel.DAK, "driver", Image.java("x.Keys"), refs(), refs(), 1, 1, 1, 0,
                0, version, RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, tier);
    }
}
