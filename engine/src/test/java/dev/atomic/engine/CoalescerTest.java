package dev.atomic.engine;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoalescerTest {
    private record Delivered(int source, int method, String payload, int count) {
    }

    private final List<Delivered> delivered = new ArrayList<>();
    private final Coalescer.Sink sink = (source, service, method, b, offset, length, count) ->
            delivered.add(new Delivered(source, method, b.getStringWithoutLengthAscii(offset, length), count));
    private final Coalescer coalescer = new Coalescer(sink, 4, true);

    private boolean offer(int source, int method, long rate, String payload, long now) {
        UnsafeBuffer b = new UnsafeBuffer(payload.getBytes());
        return coalescer.offer(source, 0, method, rate, b, 0, payload.length(), 1, 0, now);
    }

    @Test
    void theWindowGrowsWithTheRateAndStaysBounded() {
        assertEquals(0, Coalescer.window(999));
        assertEquals(TimeUnit.MICROSECONDS.toNanos(100), Coalescer.window(1_000));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1), Coalescer.window(10_000));
        assertEquals(Coalescer.MAX_WINDOW_NANOS, Coalescer.window(10_000_000));
    }

    @Test
    void aCalmSourcePassesStraightThrough() {
        assertFalse(offer(1, 1, 10, "a", 0));
        assertTrue(delivered.isEmpty());
    }

    @Test
    void aBusySourceGetsItsNewestEventDeliveredStandingForAllItReplaced() {
        long rate = 10_000; // a 1 ms window
        for (int i = 0; i < 50; i++) {
            assertTrue(offer(1, 7, rate, "v" + i, i * 1_000L));
        }
        assertTrue(offer(2, 7, rate, "other source", 10));
        coalescer.flush(TimeUnit.MICROSECONDS.toNanos(500), slot -> rate, false);
        assertTrue(delivered.isEmpty(), "the window has not passed yet");
        coalescer.flush(TimeUnit.MILLISECONDS.toNanos(2), slot -> rate, false);
        assertEquals(List.of(new Delivered(1, 7, "v49", 50), new Delivered(2, 7, "other source", 1)),
                delivered.stream().sorted(java.util.Comparator.comparingInt(Delivered::source)).toList());
        assertEquals(49, coalescer.merged());
        assertEquals(49, coalescer.merged(1), "the storm report's evidence names the source's own count");
        assertEquals(0, coalescer.merged(2));
    }

    @Test
    void switchedOffNothingIsHeldHoweverBusyTheSource() {
        Coalescer off = new Coalescer(sink, 4, false);
        assertFalse(off.offer(1, 0, 7, 10_000_000, new UnsafeBuffer("x".getBytes()), 0, 1, 1, 0, 0));
        assertEquals(0, off.merged(1));
    }

    @Test
    void differentMethodsAreNeverMergedAndADeadSourceLeavesNothingBehind() {
        offer(1, 1, 10_000, "a", 0);
        offer(1, 2, 10_000, "b", 0);
        offer(3, 1, 10_000, "c", 0);
        coalescer.forget(3);
        assertEquals(0, coalescer.merged(3));
        coalescer.flush(Long.MAX_VALUE / 2, slot -> 10_000, true);
        assertEquals(2, delivered.size());
        assertTrue(delivered.stream().noneMatch(d -> d.source() == 3));
    }

    @Test
    void eachSourceFollowsItsTunedWindowAndSaysHowLongItsEventsWereHeld() {
        long rate = 10_000;
        coalescer.follow(source -> source == 1 ? 400 : Coalescer.DEFAULT_MICROS_PER_KRATE);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(4), Coalescer.window(rate, 400));
        assertEquals(0, Coalescer.window(rate, 0), "0: never held");
        assertTrue(offer(1, 7, rate, "held 4 ms", 0));
        assertTrue(offer(2, 7, rate, "held 1 ms", 0));
        coalescer.flush(TimeUnit.MILLISECONDS.toNanos(2), slot -> rate, false);
        assertEquals(List.of(new Delivered(2, 7, "held 1 ms", 1)), delivered);
        coalescer.flush(TimeUnit.MILLISECONDS.toNanos(5), slot -> rate, false);
        assertEquals(2, delivered.size());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(5), coalescer.takeLongestHold(1));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(2), coalescer.takeLongestHold(2));
        assertEquals(0, coalescer.takeLongestHold(1), "taken: reset");
        assertEquals(1, coalescer.takeOffered(1));
        coalescer.follow(source -> 0);
        assertFalse(offer(1, 7, rate, "now passes", 10), "a window of 0 holds nothing");
        assertEquals(1, coalescer.takeOffered(1), "counted all the same");
    }

    @Test
    void aFrameItsSourceMergedStandsForItsCountHeldHereOrNotAndTheEngineWakesForTheWindowsEnd() {
        UnsafeBuffer b = new UnsafeBuffer("v".getBytes());
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        assertEquals(Long.MAX_VALUE, coalescer.dueAt(), "nothing held");
        // Calm in frames (its SDK merged 500 events into this one, the oldest emitted 3 ms ago): delivered at once.
        assertFalse(coalescer.offer(1, 0, 7, 200, b, 0, 1, 500, 7 * ms, 10 * ms));
        assertEquals(499, coalescer.merged(1), "the source's merges count among the storm report's coalesced events");
        assertEquals(500, coalescer.takeOffered(1), "its rate in events for the policy");
        assertEquals(3 * ms, coalescer.takeLongestHold(1), "held at the source for 3 ms before the Engine read it");
        assertFalse(coalescer.offer(1, 0, 7, 200, b, 0, 1, 1, 8 * ms, 10 * ms));
        assertEquals(2 * ms, coalescer.takeLongestHold(1), "one event held alone for its window counts too");
        assertEquals(499, coalescer.merged(1));
        // Busy in frames too (a source that merges too little): held here as well, counts summed.
        assertTrue(coalescer.offer(2, 0, 7, 10_000, b, 0, 1, 40, 0, 20 * ms));
        assertTrue(coalescer.offer(2, 0, 7, 10_000, b, 0, 1, 60, 0, 20 * ms));
        assertEquals(21 * ms, coalescer.dueAt(), "the idle Engine wakes at the 1 ms window's end");
        coalescer.flush(21 * ms, slot -> 10_000, false);
        assertEquals(List.of(new Delivered(2, 7, "v", 100)), delivered);
        assertEquals(Long.MAX_VALUE, coalescer.dueAt());
    }

    @Test
    void eachSourceIsToldItsWindowInItsLaneSegmentFromItsRateInEvents() {
        int capacity = 16 * 1024;
        Member[] members = new Member[2];
        for (int slot = 0; slot < members.length; slot++) {
            members[slot] = new Member(slot, new dev.atomic.component.ComponentSpec("s" + slot,
                    dev.atomic.component.Kernel.DAK, "driver", "x", List.of(), List.of(), 1, 1, 200_000),
                    dev.atomic.bridge.LaneSegment.format(dev.atomic.system.SharedMemory.create("coalescer-test",
                            dev.atomic.bridge.LaneSegment.sizeFor(capacity)), slot, capacity));
        }
        try {
            coalescer.follow(source -> source == 1 ? 400 : Coalescer.DEFAULT_MICROS_PER_KRATE);
            coalescer.publish(members, slot -> slot == 0 ? 500 : 10_000);
            assertEquals(0, members[0].segment.coalescingWindowNanos(), "calm: nothing held at the source");
            assertEquals(TimeUnit.MILLISECONDS.toNanos(4), members[1].segment.coalescingWindowNanos(),
                    "its tuned window, at its rate");
            new Coalescer(sink, 2, false).publish(members, slot -> 10_000);
            assertEquals(0, members[1].segment.coalescingWindowNanos(), "coalescing off: no window at the source");
        } finally {
            for (Member m : members) {
                m.segment.close();
            }
        }
    }
}
