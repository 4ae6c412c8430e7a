package dev.atomic.policy.eval;

import dev.atomic.policy.Judging;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.Ticks;
import dev.atomic.policy.traces.Scenario;
import dev.atomic.policy.traces.Trace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EvaluationTest {
    /** Alarms at the given seconds of the given components: {@code "leak@150"}. */
    private static final class At extends Judging {
        private final Set<String> seconds;

        At(String... seconds) {
            this.seconds = Set.of(seconds);
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        protected Recommendation judge(Observation o) {
            return seconds.contains(o.component() + "@" + o.timeMillis() / 1000) ? recommend(o, Recommendation.Action.WATCH, 1, "") : null;
        }
    }

    private static Trace trace(String name, Scenario s, long onset, long failure, long seconds) {
        return new Trace(name, s, onset * 1000, failure * 1000, LongStream.rangeClosed(1, seconds)
                .mapToObj(Ticks.of(name)::at).toList());
    }

    @Test
    void scoresDetectionsLeadsLateFindsAndFalseAlarms() {
        List<Trace> traces = List.of(trace("leak", Scenario.LEAK, 100, 200, 230),
                trace("hang", Scenario.HANG, 100, 100, 130),
                trace("quiet", Scenario.HEALTHY, -1, -1, 400));
        // 50: leak before its onset (false); 150: leak detected 50 s ahead; 160: within the refractory time;
        // 110: hang found late; 300: healthy (false)
        Outcome o = Evaluation.run(new At("leak@50", "leak@150", "leak@160", "hang@110", "quiet@300"), traces);
        assertEquals(2, o.faults());
        assertEquals(1, o.detected());
        assertEquals(1, o.late());
        assertEquals(2, o.falseAlarms());
        assertEquals(List.of(50.0, -10.0), o.leadSeconds(), "in time, then late");
        assertEquals(0.5, o.recall());
        assertEquals(1 / 3.0, o.precision(), 1e-9);
        assertEquals(20.0, o.medianLead());
        assertEquals(1, o.falseAlarmsOn().get(Scenario.HEALTHY));
        assertEquals(1, o.falseAlarmsOn().get(Scenario.LEAK));
        assertEquals(1, o.detectedBy().get(Scenario.LEAK)[1]);
    }

    @Test
    void anAlarmAfterTheRefractoryTimeCountsAgain() {
        Outcome o = Evaluation.run(new At("quiet@10", "quiet@39", "quiet@41"), List.of(trace("quiet", Scenario.NOISY, -1, -1, 100)));
        assertEquals(2, o.falseAlarms());
        assertEquals(Double.NaN, o.medianLead());
        assertEquals(0, o.precision());
    }

    @Test
    void anAlarmAtTheFailureItselfIsLateAndASecondBeforeIsInTime() {
        Outcome o = Evaluation.run(new At("storm@120"), List.of(trace("storm", Scenario.STORM, 100, 120, 150)));
        assertEquals(0, o.detected());
        assertEquals(1, o.late());
        assertEquals(0.0, o.medianLead());
        Outcome warned = Evaluation.run(new At("storm@119"), List.of(trace("storm", Scenario.STORM, 100, 120, 150)));
        assertEquals(1, warned.detected());
        assertEquals(1.0, warned.medianLead());
    }
}
