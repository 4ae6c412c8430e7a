package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoalescingPolicyTest {
    /**
     * A synthetic event source and what it costs: reading an event 2 us of CPU, a delivery {@code deliveryMicros}
     * (20), over 4 keys, so a longer window merges more events per delivery and saves CPU ever less; CPU noisy by
     * {@code noise} (3%); each event held its window plus up to {@code jitterMicros} (the duty cycle's delay).
     */
    private record Source(double rate, long jitterMicros, long lateMicros, double deliveryMicros, double noise,
                          SplittableRandom random) {
        Source(double rate, long jitterMicros, SplittableRandom random) {
            this(rate, jitterMicros, 0, random);
        }

        Source(double rate, long jitterMicros, long lateMicros, SplittableRandom random) {
            this(rate, jitterMicros, lateMicros, 20, 0.03, random);
        }

        Observation tick(long second, long windowPerKrate) {
            return tick(second, windowPerKrate, -1);
        }

        /** @param pauseMicros how long this tick's longest-held event was held (a pause), or -1: as usual */
        Observation tick(long second, long windowPerKrate, double pauseMicros) {
            double window = Coalescer.window((long) rate, windowPerKrate) / 1e9;
            double merged = Math.max(1, rate * window / 4);
            double cpu = (rate * 2e-6 + rate / merged * deliveryMicros * 1e-6)
                    * (1 + noise * (2 * random.nextDouble() - 1));
            double held = pauseMicros >= 0 ? pauseMicros : window * 1e6 + lateMicros + random.nextLong(jitterMicros + 1);
            return new Observation(second * 1000, "sensor", "apps", cpu, 1 << 20, 0, 1 << 30, -1,
                    List.of(new Observation.Lane(CoalescingPolicy.EVENTS, rate, held)), 0, 0, second, 0, 1_000_000,
                    List.of());
        }
    }

    private record Run(long settled, long longestHeldAfterSettling, long worstProposedWindowNanos,
                       long shortestProposed) {
    }

    private static Run run(CoalescingPolicy policy, Source source, int seconds) {
        long window = Coalescer.DEFAULT_MICROS_PER_KRATE;
        long longestLate = 0;
        long worst = 0;
        long shortest = Long.MAX_VALUE;
        for (int t = 1; t <= seconds; t++) {
            Observation o = source.tick(t, window);
            if (t > seconds / 2) {
                longestLate = Math.max(longestLate, Math.round(o.lanes().getFirst().latencyMicros()));
            }
            policy.observe(o);
            Decision d = policy.decide(t * 1000L);
            for (Decision.Setting s : d.settings()) {
                assertEquals(EngineTunables.WINDOW + "sensor", s.tunable());
                window = Math.round(s.value());
                shortest = Math.min(shortest, window);
                worst = Math.max(worst, Coalescer.window((long) source.rate(), window));
                assertTrue(!s.reason().isBlank());
            }
        }
        return new Run(window, longestLate, worst, shortest);
    }

    @Test
    void aPauseInOneTickIsNoReasonForAShorterWindow() {
        CoalescingPolicy policy = new CoalescingPolicy(10_000);
        Source source = new Source(20_000, 300, new SplittableRandom(3));
        long window = Coalescer.DEFAULT_MICROS_PER_KRATE;
        long shortest = window;
        for (int t = 1; t <= 90; t++) {
            // One tick in seven: an event held 12 ms, past the 10 ms bound (a collection, a compilation at boot).
            policy.observe(source.tick(t, window, t % 7 == 0 ? 12_000 : -1));
            for (Decision.Setting s : policy.decide(t * 1000L).settings()) {
                window = Math.round(s.value());
                shortest = Math.min(shortest, window);
            }
        }
        assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, shortest, "never below the default for a pause");
    }

    @Test
    void itClimbsToLongerWindowsWhileEachSavesMoreThanFivePercent() {
        Run r = run(new CoalescingPolicy(10_000), new Source(20_000, 300, new SplittableRandom(1)), 120);
        // At 20,000 events/s: 400 us/krate is an 8 ms window at 2.5 us/event, 800 (10 ms, the cap) 2.4: within 5%.
        assertEquals(400, r.settled());
        assertTrue(r.longestHeldAfterSettling() <= 10_000, r.toString());
        assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, r.shortestProposed(), "never below the default");
    }

    @Test
    void aWindowThatSavesNothingBeyondTheNoiseLeavesTheDefault() {
        // Each event costs the same whatever the window, and the CPU is noisy by 10%: more than the 5% asked for.
        for (int seed = 10; seed < 20; seed++) {
            Run r = run(new CoalescingPolicy(10_000), new Source(20_000, 300, 0, 0, 0.10, new SplittableRandom(seed)),
                    180);
            assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, r.settled(), "seed " + seed);
            assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, r.shortestProposed(), "seed " + seed
                    + ": a shorter window (more frames) is never chosen for a saving within the noise");
        }
    }

    @Test
    void aShorterWindowThanTheDefaultOnlyWhenTheBoundLeavesNoOther() {
        // A 1.5 ms bound at 20,000 events/s: the default's 2 ms window would pass it, 50 us/krate's 1 ms would not.
        Run r = run(new CoalescingPolicy(1_500), new Source(20_000, 300, new SplittableRandom(6)), 120);
        assertEquals(50, r.settled());
        assertTrue(r.longestHeldAfterSettling() <= 1_500, r.toString());
    }

    @Test
    void aTighterLatencyBoundIsNeverPassed() {
        CoalescingPolicy policy = new CoalescingPolicy(5_000);
        Run r = run(policy, new Source(20_000, 300, new SplittableRandom(2)), 120);
        assertEquals(200, r.settled(), "4 ms windows: the longest within 5 ms");
        assertTrue(r.worstProposedWindowNanos() <= TimeUnit.MILLISECONDS.toNanos(5), r.toString());
        assertTrue(r.longestHeldAfterSettling() <= 5_000, r.toString());
    }

    @Test
    void aWindowWhoseEventsWereHeldPastTheBoundIsGivenUp() {
        // 4 ms windows are allowed under 4.2 ms, but the duty cycle's delay of up to 1 ms holds events past it.
        Run r = run(new CoalescingPolicy(4_200), new Source(20_000, 1_000, new SplittableRandom(3)), 120);
        assertEquals(100, r.settled());
        assertTrue(r.longestHeldAfterSettling() <= 4_200, r.toString());
    }

    @Test
    void aCalmSourceIsLeftOnItsDefault() {
        CoalescingPolicy policy = new CoalescingPolicy(10_000);
        Run r = run(policy, new Source(500, 0, new SplittableRandom(4)), 30);
        assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, r.settled());
        assertTrue(policy.decide(31_000).settings().isEmpty(), "nothing proposed for a source never busy");
    }

    @Test
    void aDelayNoWindowShortensLeavesTheSourceOnItsDefault() {
        // The duty cycle comes back 10-12 ms late, past the 10 ms bound whatever the window.
        Run r = run(new CoalescingPolicy(10_000), new Source(20_000, 2_000, 10_000, new SplittableRandom(5)), 60);
        assertEquals(Coalescer.DEFAULT_MICROS_PER_KRATE, r.settled());
    }
}
