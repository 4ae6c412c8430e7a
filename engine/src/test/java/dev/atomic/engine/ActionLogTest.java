package dev.atomic.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ActionLogTest {
    private final AtomicLong clock = new AtomicLong(1_000);
    private final ActionLog log = new ActionLog(clock::get);

    @Test
    void eachComponentKeepsItsLastActionsNewestFirstAndRecurringOnesAreCounted() {
        log.did("crasher", ActionLog.ENGINE, "fault", "restarting now", "CRASH: killed by signal 9");
        clock.set(2_000);
        log.again("sensor", ActionLog.ENGINE, "throttle", "throttled", "3 windows over");
        clock.set(3_000);
        log.did("crasher", ActionLog.ENGINE, "fault", "restarting now", "CRASH: killed by signal 11");
        clock.set(4_000);
        log.again("sensor", ActionLog.ENGINE, "throttle", "throttled", "5 windows over");
        log.again("sensor", "coalescing", "tunable", "set coalescing.window.sensor", "to 200");
        var actions = log.collect();

        List<PolicyState.Action> crasher = actions.get("crasher");
        assertEquals(2, crasher.size(), "faults are never folded: each restart keeps its own fault");
        assertEquals("CRASH: killed by signal 11", crasher.getFirst().why(), "newest first");
        assertEquals(3_000, crasher.getFirst().timeMillis());
        List<PolicyState.Action> sensor = actions.get("sensor");
        assertEquals(List.of("tunable", "throttle"), sensor.stream().map(PolicyState.Action::kind).toList());
        PolicyState.Action throttled = sensor.get(1);
        assertEquals(2, throttled.times());
        assertEquals(2_000, throttled.sinceMillis());
        assertEquals(4_000, throttled.timeMillis());
        assertEquals("5 windows over", throttled.why(), "the newest reason");

        clock.set(5_000);
        log.again("sensor", ActionLog.ENGINE, "throttle", "throttled", "1 window over");
        assertEquals("throttle", log.collect().get("sensor").getFirst().kind(), "a folded action moves to the front");
    }

    @Test
    void anEngineTakingOverKeepsWhatItsPredecessorDidAndAddsItsOwn() {
        log.did("leaker", "failure", "spare", "asked the Sovereign for a warm spare", "proactive.leaker = 1");
        clock.set(2_000);
        log.did("leaker", "failure", "planned-restart", "restarting leaker before it fails", "proactive.leaker = 2");
        var before = log.collect();

        ActionLog successor = new ActionLog(() -> 9_000);
        successor.carryOn(before);
        successor.did("leaker", ActionLog.ENGINE, "fault", "restarting now", "CRASH");
        List<PolicyState.Action> leaker = successor.collect().get("leaker");
        assertEquals(List.of("fault", "planned-restart", "spare"), leaker.stream().map(PolicyState.Action::kind)
                .toList(), "newest first, the predecessor's in their order");
        assertEquals(2_000, leaker.get(1).timeMillis(), "each at its own time");
        assertEquals("failure", leaker.get(1).by());
    }

    @Test
    void onlyTheLastFewAreKeptAndWhatWaitsToBeTakenInIsBounded() {
        for (int i = 0; i < ActionLog.QUEUED + 50; i++) {
            log.did("c" + (i % 2), ActionLog.ENGINE, "fault", "restart " + i, "why " + i);
        }
        var actions = log.collect();
        assertEquals(ActionLog.KEPT, actions.get("c0").size());
        assertEquals("restart " + (ActionLog.QUEUED - 2), actions.get("c0").getFirst().what(),
                "past the bound, more are dropped until the loop takes them in");
        log.did("c0", ActionLog.ENGINE, "fault", "restart again", "why");
        assertEquals("restart again", log.collect().get("c0").getFirst().what(), "room again once taken in");
    }
}
