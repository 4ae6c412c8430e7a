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
                second * rate, 1000, 512L << 20);
    }

    /** Waits for the loop to have written the tick of {@code second}. */
    private static PolicyState written(Path dir, long second) throws Exception {
        for (int i = 0; i < 500; i++) {
            PolicyState s = Files.exists(dir.resolve(PolicyState.FILE)) ? PolicyState.read(dir) : null;
            if (s != null && s.timeMillis() == second * 1000) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the loop never wrote second " + second);
    }

    @Test
    void samplesBecomeObservationsAndTheThresholdsBeliefsAreWrittenForExplain(@TempDir Path dir) throws Exception {
        try (PolicyLoop loop = new PolicyLoop(dir)) {
            loop.accept(List.of(sample(1, "calm", 100), sample(1, "flood", 100)));
            written(dir, 1);
            loop.accept(List.of(sample(2, "calm", 100), sample(2, "flood", 5000),
                    new PolicyLoop.Sample(2000, "frozen", "services", PID, false, 0, 0, 0, 0, 0, 0)));
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
            assertTrue(s.tunables().isEmpty());
            List<String> lines = Files.readAllLines(dir.resolve(PolicyLoop.OBSERVATIONS));
            assertEquals(4, lines.size(), "two ticks of two components, as JSON Lines");
        }
    }
}
