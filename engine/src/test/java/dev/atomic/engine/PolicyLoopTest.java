package dev.atomic.engine;

import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyLoopTest {
    private static final long PID = ProcessHandle.current().pid();

    /** A sample at {@code second} of a component that has made and answered {@code rate} calls a second. */
    private static PolicyLoop.Sample sample(long second, String component, long rate) {
        return new PolicyLoop.Sample(second * 1000, component, "services", PID, true, 0, second * 10, 0,
                second * rate, 1000, 512L << 20, 0, 0);
    }

    /** Waits for the loop to have written the tick of {@code second}. */
    private static PolicyState written(Path dir, long second) throws Exception {
        Path file = dir.resolve(PolicyState.FILE);
        for (int i = 0; i < 5000; i++) {
            // Its first field, read as text: parsing the whole state each time is what would take long.
            if (Files.exists(file) && Files.readString(file).startsWith("{\"timeMillis\":" + second * 1000 + ",")) {
                return PolicyState.read(dir);
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the loop never wrote second " + second);
    }

    @Test
    void samplesBecomeObservationsAndTheThresholdsBeliefsAreWrittenForExplain(@TempDir Path dir) throws Exception {
        try (PolicyLoop loop = new PolicyLoop(dir)) {
            loop.accept(List.of(sample(1, "calm", 100), sample(1, "flood", 100)));
            written(dir, 1);
            loop.accept(List.of(sample(2, "calm", 100), sample(2, "flood", 5000),
                    new PolicyLoop.Sample(2000, "frozen", "services", PID, false, 0, 0, 0, 0, 0, 0, 0, 0)));
            PolicyState s = written(dir, 2);
            Observation calm = s.observations().get("calm");
            assertTrue(calm.rssBytes() > 0, "this JVM's resident memory, read from /proc");
            assertEquals(20, calm.progress());
            assertEquals(512L << 20, calm.memoryLimit());
            assertEquals(100, calm.rate(), "a rate from the calls a second apart");
            assertTrue(s.beliefs().get("calm").isEmpty());
            Recommendation r = s.beliefs().get("flood").get("all-thresholds");
            assertEquals(Recommendation.Action.THROTTLE, r.action());
            assertTrue(r.reason().contains("over its budget of 1000"), r.reason());
            assertTrue(!s.observations().containsKey("frozen"), "one not running is not observed");
            assertEquals(null, loop.observe(new PolicyLoop.Sample(3000, "gone", "services", Long.MAX_VALUE, true, 0, 0,
                    0, 0, 0, 0, 0, 0)), "a process that cannot be read is no observation, not one of 0 bytes");
            assertTrue(s.tunables().isEmpty());
            List<String> lines = Files.readAllLines(dir.resolve(PolicyLoop.OBSERVATIONS));
            assertEquals(4, lines.size(), "two ticks of two components, as JSON Lines");
        }
    }

    @Test
    void theEnginesTunablesAreListedAndWhatPolicy4SetsIsLoggedAndReachesTheDutyCycle(@TempDir Path dir)
            throws Exception {
        try (PolicyLoop loop = new PolicyLoop(dir, new String[]{"sensor"}, EngineTunables.CHECKPOINT, true, s -> { })) {
            PolicyState s = null;
            for (long second = 1; second <= 8; second++) {
                // 5,000 events a second, each held at most 0.4 ms.
                loop.accept(List.of(new PolicyLoop.Sample(second * 1000, "sensor", "apps", PID, true, 0, second, 0, 0,
                        1_000_000, 1L << 30, 5_000, 400_000)));
                s = written(dir, second);
            }
            assertEquals(5, s.tunables().size(), s.tunables().toString());
            PolicyState.Tunable window = s.tunables().stream()
                    .filter(t -> t.name().equals(EngineTunables.WINDOW + "sensor")).findFirst().orElseThrow();
            assertEquals(CoalescingPolicy.NAME, window.setBy(), "policy 4 measured a rung and moved: " + window);
            assertTrue(window.reason().contains("CPU per event"), window.reason());
            assertEquals(Math.round(window.value()), loop.tunables().windowPerKrate(0), "the duty cycle reads it");
            List<String> changes = Files.readAllLines(dir.resolve(PolicyLoop.TUNABLE_CHANGES));
            assertTrue(changes.getFirst().contains("\"policy\":\"coalescing\""), changes.toString());
            Observation events = s.observations().get("sensor");
            assertEquals(5_000, events.lanes().get(1).rate(), 1e-9);
            assertEquals(400, events.lanes().get(1).latencyMicros(), 1e-9);
            List<PolicyState.Action> done = s.actions().get("sensor");
            PolicyState.Action moved = done.stream().filter(a -> a.kind().equals("tunable")).findFirst().orElseThrow();
            assertEquals(CoalescingPolicy.NAME, moved.by(), done.toString());
            assertEquals("set " + EngineTunables.WINDOW + "sensor", moved.what());
            assertTrue(moved.why().startsWith("to " + Math.round(window.value()) + " (was "), moved.why());
            PolicyState.Action held = done.stream().filter(a -> a.kind().equals("coalesce")).findFirst().orElseThrow();
            assertTrue(held.times() >= 6, "once a second while it sends 5,000 events/s, one entry: " + held);
            assertTrue(held.why().startsWith("5000 events/s"), held.why());
        }
    }

    @Test
    void anEngineTakingOverKeepsWhatItsPredecessorDidForExplain(@TempDir Path dir) throws Exception {
        try (PolicyLoop first = new PolicyLoop(dir)) {
            first.actions().did("calm", ActionLog.ENGINE, "fault", "restarting calm now", "CRASH: killed by signal 9");
            first.accept(List.of(sample(1, "calm", 100)));
            assertEquals(1, written(dir, 1).actions().get("calm").size());
        }
        try (PolicyLoop successor = new PolicyLoop(dir)) {
            successor.carryOn();
            successor.actions().did("calm", ActionLog.ENGINE, "fault", "restarting calm now", "CRASH: killed by signal 6");
            successor.accept(List.of(sample(2, "calm", 100)));
            assertEquals(List.of("CRASH: killed by signal 6", "CRASH: killed by signal 9"), written(dir, 2).actions()
                    .get("calm").stream().map(PolicyState.Action::why).toList());
        }
    }

    @Test
    void cachedModelsPutPolicies1To5ToWorkAndPolicy3SizesEachComponentWithinItsManifestsLimit(@TempDir Path dir)
            throws Exception {
        SmallModels.cache(PolicyLoop.modelsDir(dir));
        List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        long limit = 4L << 30;
        try (PolicyLoop loop = new PolicyLoop(dir, new String[]{"steady"}, EngineTunables.CHECKPOINT, true,
                said::add)) {
            PolicyState s = null;
            // The models load on a thread of their own: ticks before policy 3 joins do not count towards its warm-up.
            // Each tick is waited for, here as below: the loop drops what the Engine offers while two wait.
            long second = 1;
            for (long end = System.nanoTime() + 30_000_000_000L; said.stream().noneMatch(l -> l.startsWith(
                    "policy 3 (sizing) is live")) && System.nanoTime() < end; second++) {
                loop.accept(List.of(new PolicyLoop.Sample(second * 1000, PolicyLoop.ENGINE, PolicyLoop.ENGINE, PID,
                        true, 0, 0, 0, 0, 0, 0, 0, 0)));
                written(dir, second);
            }
            // Past the sizing window's warm-up (a minute of ticks seen since policy 3 joined), until it sizes.
            for (long last = second + 150; second <= last && (s == null || s.tunables().stream()
                    .noneMatch(t -> t.name().equals("memory.limit.steady") && t.setBy() != null)); second++) {
                loop.accept(List.of(new PolicyLoop.Sample(second * 1000, "steady", "services", PID, true, 0, second * 10,
                        0, second * 100, 1000, limit, 0, 0), new PolicyLoop.Sample(second * 1000, PolicyLoop.ENGINE,
                        PolicyLoop.ENGINE, PID, true, 0, 0, 0, 0, 0, 0, 0, 0)));
                s = written(dir, second);
            }
            assertTrue(said.stream().anyMatch(l -> l.startsWith("policy 1 (anomaly) is live")), said.toString());
            assertTrue(said.stream().anyMatch(l -> l.startsWith("policy 2 (failure prediction) is live")));
            assertTrue(said.stream().anyMatch(l -> l.startsWith("policy 3 (sizing) is live")));
            PolicyState.Tunable memory = s.tunables().stream().filter(t -> t.name().equals("memory.limit.steady"))
                    .findFirst().orElseThrow(() -> new AssertionError("no memory.limit.steady"));
            assertEquals(limit, memory.max(), "the manifest's limit is the ceiling");
            assertEquals(limit / 4.0, memory.min());
            assertEquals("sizing", memory.setBy(), memory + "; " + s.faults() + "; " + said);
            double rss = s.observations().get("steady").rssBytes();
            assertTrue(memory.value() >= rss && memory.value() <= limit, memory + " against " + rss);
            assertEquals(0, memory.value() % LiveSizing.MEMORY_STEP, "rounded up to a step");
            assertEquals(Math.round(memory.value()), loop.tunables().memoryLimit(0), "the duty cycle reads it");
            assertTrue(s.tunables().stream().anyMatch(t -> t.name().equals("cpu.quota.steady")));
            assertTrue(s.tunables().stream().noneMatch(t -> t.name().endsWith("." + PolicyLoop.ENGINE)),
                    "the Engine itself is not sized");
            assertTrue(Files.readString(dir.resolve(PolicyLoop.TUNABLE_CHANGES)).contains("\"policy\":\"sizing\""));
        }
    }
}
