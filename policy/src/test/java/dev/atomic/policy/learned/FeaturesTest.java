package dev.atomic.policy.learned;

import dev.atomic.policy.Observation;
import dev.atomic.policy.traces.Scenario;
import dev.atomic.policy.traces.Trace;
import dev.atomic.policy.traces.TraceGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeaturesTest {
    private static int index(String name) {
        return List.of(Features.NAMES).indexOf(name);
    }

    /** Each tick's features of a trace, null while learning. */
    private static double[][] features(Trace t) {
        Features f = new Features();
        return t.observations().stream().map(f::next).toArray(double[][]::new);
    }

    @Test
    void nothingWhileItsBaselineIsLearnedThenOneValueForEachName() {
        double[][] x = features(new TraceGenerator(3).trace(Scenario.HEALTHY, 0));
        for (int i = 0; i <= Features.WARM_UP; i++) {
            assertNull(x[i], "tick " + i);
        }
        assertNotNull(x[Features.WARM_UP + 1]);
        assertEquals(Features.NAMES.length, x[Features.WARM_UP + 1].length);
        assertEquals(Features.NAMES.length, Features.SAID.length);
        for (double[] v : java.util.Arrays.asList(x).subList(Features.WARM_UP + 1, x.length)) {
            for (double d : v) {
                assertTrue(Math.abs(d) <= Features.CLIP, "clipped: " + d);
            }
        }
    }

    @Test
    void aLeakStandsOutInMemoryAgainstItsOwnBaselineAndIsSaidSo() {
        Trace leak = new TraceGenerator(5).trace(Scenario.LEAK, 0);
        Features f = new Features();
        double[] last = null;
        for (Observation o : leak.observations()) {
            if (o.timeMillis() >= leak.failureMillis()) {
                break;
            }
            last = f.next(o);
        }
        assertTrue(last[index("memory.dev")] > 3, "memory " + last[index("memory.dev")] + " spreads");
        assertTrue(last[index("memory.due")] > 0);
        assertTrue(f.strongest(1).startsWith("memory"), f.strongest(1));
    }

    @Test
    void aHangCountsItsSecondsWithoutProgress() {
        Trace hang = new TraceGenerator(5).trace(Scenario.HANG, 0);
        double[][] x = features(hang);
        int failed = (int) (hang.failureMillis() / 1000) - 1; // observations start at second 1
        int stalled = index("stalled");
        assertEquals(0, x[failed - 1][stalled]);
        for (int k = 1; k < 10; k++) {
            assertTrue(x[failed + k][stalled] > x[failed + k - 1][stalled], "tick " + k + " after it hung");
        }
    }
}
