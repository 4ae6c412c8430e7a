package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.PolicyFault;
import dev.atomic.policy.PolicyRunner;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.sizing.Measure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineTunablesTest {
    private final TunableStore store = new TunableStore();
    private final EngineTunables tunables = new EngineTunables(new String[]{"sensor", "leaky"},
            EngineTunables.CHECKPOINT);

    /** A policy that proposes the same settings every round. */
    private record Proposing(List<Decision.Setting> settings) implements Policy {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public void observe(Observation o) {
        }

        @Override
        public Decision decide(long nowMillis) {
            return new Decision(settings, List.of());
        }
    }

    @Test
    void everyComponentHasItsTunablesOnTodaysBuiltInDefaults() {
        tunables.define(store);
        tunables.publish(store, 0);
        assertEquals(10, store.entries(0).size());
        for (int slot = 0; slot < 2; slot++) {
            assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, tunables.windowPerKrate(slot));
            assertEquals((long) LeakDetector.HORIZON_SECONDS, tunables.leakHorizonSeconds(slot));
            assertEquals(EngineTunables.ADVISE, tunables.proactive(slot));
            assertEquals(0, tunables.distrust(slot), "as its manifest says");
        }
        TunableStore.Entry tier = store.entries(0).stream()
                .filter(e -> e.tunable().name().equals("tier.sensor")).findFirst().orElseThrow();
        assertEquals(-EngineTunables.OUT_OF_TIER_1, tier.tunable().min(), "the operator's ceiling is its bound");
        assertEquals(0, tier.tunable().max(), "never more trust than the manifest's");
        TunableStore.Entry proactive = store.entries(0).stream()
                .filter(e -> e.tunable().name().equals("proactive.leaky")).findFirst().orElseThrow();
        assertEquals(EngineTunables.CHECKPOINT, proactive.tunable().max(), "the operator's ceiling is its bound");
        assertEquals("engine/supervisor", proactive.tunable().owner());
    }

    @Test
    void theDutyCycleSeesWhatAPolicySetWithinBoundsUntilItDecays() {
        tunables.define(store);
        List<PolicyFault> faults = new ArrayList<>();
        try (PolicyRunner runner = new PolicyRunner(store, Duration.ofSeconds(5), faults::add)) {
            runner.add(new Proposing(List.of(new Decision.Setting("coalescing.window.sensor", 400, "cheaper"),
                    new Decision.Setting("leak.horizon.leaky", 90, "predicted"),
                    new Decision.Setting("proactive.leaky", EngineTunables.RESTART, "beyond the ceiling"),
                    new Decision.Setting("leak.horizon.sensor", 1e9, "out of bounds"))));
            runner.round(1_000, List.of());
            tunables.publish(store, 1_000);
        }
        assertEquals(400, tunables.windowPerKrate(0));
        assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, tunables.windowPerKrate(1));
        assertEquals(90, tunables.leakHorizonSeconds(1));
        assertEquals(EngineTunables.ADVISE, tunables.proactive(1), "a restart the operator did not allow is dropped");
        assertEquals((long) LeakDetector.HORIZON_SECONDS, tunables.leakHorizonSeconds(0));
        assertEquals(2, faults.stream().filter(f -> f.kind() == PolicyFault.Kind.OUT_OF_BOUNDS).count(), faults.toString());
        assertTrue(store.changes().stream().anyMatch(c -> c.tunable().equals("coalescing.window.sensor")
                && c.policy().equals("test") && c.reason().equals("cheaper")));

        tunables.publish(store, 1_000 + Duration.ofSeconds(30).toMillis());
        assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, tunables.windowPerKrate(0), "decayed: back to the default");
        assertEquals(90, tunables.leakHorizonSeconds(1), "a minute's decay: still held");
    }

    @Test
    void theCeilingComesFromTheEnvironmentAndDefaultsToCheckpoints() {
        String v = System.getenv(EngineTunables.CEILING);
        int expected = "advise".equals(v) ? 0 : "restart".equals(v) ? 2 : 1;
        assertEquals(expected, EngineTunables.ceilingFromEnvironment());
    }

    @Test
    void policy3sSizesAreBoundedByTheManifestReachTheDutyCycleAndDecayBackToTheManifests() {
        tunables.define(store);
        long limit = 256L << 20;
        Observation leaky = new Observation(0, "leaky", "apps", 0.1, 64L << 20, 0, limit, -1, List.of(), 0, 0, 0, 0,
                1000, List.of());
        for (Measure m : Measure.values()) {
            store.define(m.tunable(leaky));
        }
        List<PolicyFault> faults = new ArrayList<>();
        try (PolicyRunner runner = new PolicyRunner(store, Duration.ofSeconds(5), faults::add)) {
            runner.add(new Proposing(List.of(new Decision.Setting("memory.limit.leaky", 2.0 * limit, "beyond it"),
                    new Decision.Setting("cpu.quota.leaky", 0.01, "below the floor"))));
            runner.round(1_000, List.of(leaky));
            tunables.publish(store, 1_000);
            assertEquals(0, tunables.memoryLimit(1), "dropped: the manifest's stands");
            assertEquals(0, tunables.cpuQuotaMicros(1));
            assertEquals(2, faults.stream().filter(f -> f.kind() == PolicyFault.Kind.OUT_OF_BOUNDS).count());
        }
        try (PolicyRunner runner = new PolicyRunner(store, Duration.ofSeconds(5), faults::add)) {
            runner.add(new Proposing(List.of(new Decision.Setting("memory.limit.leaky", 96L << 20, "its history"),
                    new Decision.Setting("cpu.quota.leaky", 0.25, "its history"))));
            runner.round(2_000, List.of(leaky));
            tunables.publish(store, 2_000);
        }
        assertEquals(96L << 20, tunables.memoryLimit(1));
        assertEquals(250_000, tunables.cpuQuotaMicros(1), "in millionths of a CPU");
        assertEquals(0, tunables.memoryLimit(0), "another component's is untouched");
        assertTrue(store.changes().stream().anyMatch(c -> c.tunable().equals("memory.limit.leaky")
                && c.policy().equals("test") && c.reason().equals("its history")));
        tunables.publish(store, 2_000 + Measure.DECAY.toMillis());
        assertEquals(0, tunables.memoryLimit(1), "decayed: the manifest's again");
        assertEquals(0, tunables.cpuQuotaMicros(1));
    }
}
