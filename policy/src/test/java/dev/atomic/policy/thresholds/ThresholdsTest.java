package dev.atomic.policy.thresholds;

import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.Ticks;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdsTest {
    private static List<Recommendation> feed(Policy p, Observation o) {
        p.observe(o);
        return p.decide(o.timeMillis()).recommendations();
    }

    @Test
    void oomdActsOnPressureHeldForThirtySecondsAndSeesNothingWithoutPsi() {
        Oomd oomd = new Oomd();
        Ticks high = Ticks.of("a").psi(75);
        for (int s = 1; s < 31; s++) {
            assertTrue(feed(oomd, high.at(s)).isEmpty(), "second " + s);
        }
        List<Recommendation> r = feed(oomd, high.at(31));
        assertEquals(Recommendation.Action.RESTART, r.getFirst().action());
        assertTrue(r.getFirst().reason().contains("75%"), r.getFirst().reason());
        Oomd blind = new Oomd();
        for (int s = 1; s < 100; s++) {
            assertTrue(feed(blind, Ticks.of("b").psi(Observation.NO_PSI).at(s)).isEmpty());
        }
        Oomd dips = new Oomd();
        for (int s = 1; s < 100; s++) {
            assertTrue(feed(dips, Ticks.of("c").psi(s % 20 == 0 ? 10 : 90).at(s)).isEmpty(), "a dip starts anew");
        }
    }

    @Test
    void staticLimitsThrottleOverBudgetAndWatchLastingErrorsAndRestartBursts() {
        StaticLimits limits = new StaticLimits();
        assertEquals(Recommendation.Action.THROTTLE, feed(limits, Ticks.of("a").rate(1001).at(1)).getFirst().action());
        StaticLimits errors = new StaticLimits();
        assertTrue(feed(errors, Ticks.of("b").errors(50).progress(1, 0).at(1)).isEmpty());
        assertTrue(feed(errors, Ticks.of("b").errors(50).progress(2, 0).at(2)).isEmpty());
        assertTrue(feed(errors, Ticks.of("b").errors(50).progress(3, 0).at(3)).getFirst().reason().contains("3 s"));
        StaticLimits restarts = new StaticLimits();
        for (int s = 1; s <= 70; s++) {
            List<Recommendation> r = feed(restarts, Ticks.of("c").restarts(s / 25).progress(s, 0).at(s));
            assertTrue(r.isEmpty(), "never 3 within a minute: second " + s);
        }
        StaticLimits burst = new StaticLimits();
        feed(burst, Ticks.of("d").restarts(0).progress(1, 0).at(1));
        assertTrue(feed(burst, Ticks.of("d").restarts(3).progress(2, 0).at(30)).getFirst().reason().contains("3 restarts"));
    }

    @Test
    void staticLimitsCallAHangAfterTenSecondsWithoutProgressAndRequestsWaiting() {
        StaticLimits limits = new StaticLimits();
        for (int s = 1; s <= 10; s++) {
            assertTrue(feed(limits, Ticks.of("a").progress(5, 3).at(s)).isEmpty(), "second " + s);
        }
        assertEquals(Recommendation.Action.RESTART, feed(limits, Ticks.of("a").progress(5, 3).at(11)).getFirst()
                .action());
        StaticLimits idle = new StaticLimits();
        for (int s = 1; s <= 30; s++) {
            assertTrue(feed(idle, Ticks.of("b").progress(5, 0).at(s)).isEmpty(), "idle, nothing waiting: no hang");
        }
    }

    @Test
    void theLeakRuleWantsSteadyGrowthPastHalfDueWithinTwentySeconds() {
        LeakRule rule = new LeakRule();
        long mib = 1 << 20;
        List<Recommendation> found = List.of();
        int s = 0;
        while (found.isEmpty() && s < 200) {
            s++;
            found = feed(rule, Ticks.of("a").rss(150 * mib + s * 2 * mib).at(s)); // 2 MiB/s toward 400 MiB
        }
        // due within 20 s: at least 360 MiB, i.e. from second 105
        assertTrue(s >= 105 && s <= 106, "found at second " + s);
        LeakRule sawtooth = new LeakRule();
        for (int t = 1; t < 300; t++) {
            assertTrue(feed(sawtooth, Ticks.of("b").rss(300 * mib + (t % 4) * 20 * mib).at(t)).isEmpty());
        }
    }
}
