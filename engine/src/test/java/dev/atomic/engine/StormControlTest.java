package dev.atomic.engine;

import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StormControlTest {
    private static final int CAPACITY = 16 * 1024;
    /** 1000 frames/s: 100 a window. */
    private final Member source = new Member(0, new ComponentSpec("sensor", Kernel.DAK, "driver", "x", List.of(),
            List.of(), 1, 1, 1000), LaneSegment.format(SharedMemory.create("storm-test",
            LaneSegment.sizeFor(CAPACITY)), 0, CAPACITY));
    private final Member[] members = {source};
    private final StormControl storms = new StormControl(members);
    private long now;

    @AfterEach
    void tearDown() {
        source.segment.close();
    }

    /** One window in which the Engine read {@code read} frames, found the lanes empty or not, and left some behind. */
    private int[] window(int read, boolean sawEmpty, boolean leftBehind) {
        storms.count(0, read);
        if (sawEmpty) {
            storms.sawEmpty(0);
        }
        var lane = source.segment.requests().lane(Priority.NORMAL);
        while (lane.poll((type, b, index, length) -> { }, 64) > 0) {
            // the Engine's reads: the ring is what the window leaves behind
        }
        if (leftBehind) {
            lane.offer(FrameType.EVENT, 0, 0, 1, 0, 0, 0);
        }
        now += StormControl.WINDOW_NANOS;
        return storms.tick(now, members);
    }

    @Test
    void aThrottledSourceStillFloodingAtEachWindowsEndIsCutOffEvenWhenTheEngineCaughtUpOnceAWindow() {
        assertEquals(100, storms.allowance(0));
        for (int i = 1; i < StormControl.CUT_OFF_WINDOWS; i++) {
            assertArrayEquals(new int[0], window(100, true, true), "window " + i);
        }
        assertArrayEquals(new int[]{0}, window(100, true, true), "throttled and still flooding for 10 windows");
        assertEquals(StormControl.CUT_OFF_WINDOWS, storms.throttledWindows(0));
        assertEquals(1000, storms.rate(0));
        storms.forget(0);
        assertEquals(0, storms.throttledWindows(0), "counted again from its restart");
    }

    @Test
    void aBusySourceWithinItsBudgetOrOneWhoseBacklogIsGoneIsNeverCutOff() {
        for (int i = 0; i < 3 * StormControl.CUT_OFF_WINDOWS; i++) {
            // under its cap with a backlog (the Engine was slow), then at its cap with nothing left behind
            assertArrayEquals(new int[0], window(i % 2 == 0 ? 60 : 100, true, i % 2 == 0));
        }
        assertEquals(3 * StormControl.CUT_OFF_WINDOWS / 2, storms.throttledWindows(0));
    }

    @Test
    void aSourceWhoseLanesNeverDrainIsCutOffWhateverTheEngineRead() {
        int[] cut = new int[0];
        for (int i = 0; i < StormControl.CUT_OFF_WINDOWS; i++) {
            cut = window(10, false, true); // a starved Engine read little: the lanes still never drained
        }
        assertArrayEquals(new int[]{0}, cut);
    }

    @Test
    void aStormItsSourceMergedBeforeTheLaneIsStillCutOff() {
        for (int i = 1; i < StormControl.CUT_OFF_WINDOWS; i++) {
            storms.countMerged(0, 5_000); // 10 frames a window standing for 50,000 events a second
            assertArrayEquals(new int[0], window(10, true, false), "window " + i);
        }
        assertEquals(50_100, storms.eventRate(0));
        assertEquals(100, storms.rate(0), "in frames, calm");
        storms.countMerged(0, 5_000);
        assertArrayEquals(new int[]{0}, window(10, true, false), "over its budget in events for 10 windows");
        storms.countMerged(0, 50);
        assertArrayEquals(new int[0], window(10, true, false), "within its budget, merged or not");
    }
}
