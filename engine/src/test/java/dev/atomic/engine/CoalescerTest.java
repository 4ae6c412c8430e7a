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
        return coalescer.offer(source, 0, method, rate, b, 0, payload.length(), now);
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
        assertFalse(off.offer(1, 0, 7, 10_000_000, new UnsafeBuffer("x".getBytes()), 0, 1, 0));
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
}
