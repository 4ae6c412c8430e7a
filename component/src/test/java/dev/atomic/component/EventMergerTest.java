package dev.atomic.component;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Coalescing at the source: events merged within the window the Engine sets, every one accounted for. */
class EventMergerTest {
    private record Written(int service, int method, long value, int count, long since, long at) {
    }

    private final List<Written> written = new ArrayList<>();
    private final AtomicLong window = new AtomicLong();
    private final AtomicBoolean laneFull = new AtomicBoolean();
    private final EventMerger merger = new EventMerger(window::get, (service, method, payload, count, since) -> {
        if (laneFull.get()) {
            return false;
        }
        synchronized (written) {
            written.add(new Written(service, method, payload.getLong(0, java.nio.ByteOrder.BIG_ENDIAN), count, since, System.nanoTime()));
        }
        return true;
    });

    private static byte[] value(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private List<Written> written() {
        synchronized (written) {
            return List.copyOf(written);
        }
    }

    /** Waits until nothing is held (the flusher wrote it all), at most 10 s. */
    private void awaitFlushed() throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (merger.holding() > 0 && System.nanoTime() - giveUp < 0) {
            Thread.sleep(1);
        }
        assertEquals(0, merger.holding(), "held events were never written");
    }

    @Test
    void withoutAWindowEveryEventIsWrittenAtOnce() {
        for (int i = 0; i < 5; i++) {
            assertTrue(merger.emit(1, 2, value(i)));
        }
        assertEquals(5, written().size());
        assertTrue(written().stream().allMatch(w -> w.count() == 1 && w.since() == 0));
        laneFull.set(true);
        assertFalse(merger.emit(1, 2, value(9)), "back-pressure: a full lane refuses an event written at once");
    }

    @Test
    void withinTheWindowEventsAreMergedCountedAndWrittenAtItsEndWithTheNewestValue() throws Exception {
        window.set(TimeUnit.MILLISECONDS.toNanos(50));
        long first = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(merger.emit(1, 2, value(i)));
        }
        merger.emit(1, 3, value(-1)); // another method: held apart
        if (System.nanoTime() - first < window.get()) {
            assertTrue(written().isEmpty(), "written before its window ended: " + written());
        }
        awaitFlushed(); // no emit after the last: the flusher writes them at the window's end
        List<Written> out = written();
        assertEquals(10_000, out.stream().filter(w -> w.method() == 2).mapToLong(Written::count).sum(),
                "every event accounted for: " + out);
        assertEquals(1, out.stream().filter(w -> w.method() == 3).mapToLong(Written::count).sum());
        Written last = out.stream().filter(w -> w.method() == 2).reduce((a, b) -> b).orElseThrow();
        assertEquals(9_999, last.value(), "a merged frame carries the newest value");
        assertTrue(out.size() < 10_000, "nothing was merged: " + out.size() + " frames");
        for (Written w : out) {
            assertTrue(w.since() >= first && w.at() - w.since() >= window.get(),
                    "written before its window's end, or without when its oldest event was emitted: " + w);
        }
    }

    @Test
    void aFullLaneAtTheWindowsEndLosesNothingAndKeepsMerging() throws Exception {
        window.set(TimeUnit.MILLISECONDS.toNanos(2));
        laneFull.set(true);
        for (int i = 0; i < 100; i++) {
            assertTrue(merger.emit(4, 1, value(i)), "a merged event is taken, full lane or not");
        }
        Thread.sleep(20); // its window ended with the lane full: still held, tried again
        assertTrue(merger.emit(4, 1, value(100)));
        assertEquals(101, merger.holding());
        laneFull.set(false);
        awaitFlushed();
        assertEquals(101, written().stream().mapToLong(Written::count).sum());
    }

    @Test
    void closingWritesWhatIsHeldAndLaterEventsAtOnce() {
        window.set(TimeUnit.SECONDS.toNanos(10));
        merger.emit(1, 1, value(1));
        merger.emit(1, 1, value(2));
        merger.close();
        assertEquals(List.of(2L), written().stream().map(w -> (long) w.count()).toList());
        merger.emit(1, 1, value(3));
        assertEquals(List.of(2L, 1L), written().stream().map(w -> (long) w.count()).toList(),
                "closed, nothing would flush it: written at once");
    }

    /**
     * Through a component host and its lane segment: the window the Engine writes there is obeyed for ordinary events;
     * a critical event is never merged, window or not.
     */
    @Test
    void aHostObeysTheWindowInItsLaneSegmentAndNeverMergesCriticalEvents() throws Exception {
        SystemSpec system = new SystemSpec("merge", List.of(new ComponentSpec("sensor", Kernel.DAK, "driver", "x.S",
                refs("readings@1"), refs(), 64 << 20, 16, SystemSpec.DEFAULT_RATE)));
        int service = system.serviceId("readings");
        LaneSegment.Capacities capacities = LaneSegment.Capacities.uniform(64 * 1024);
        try (LaneSegment segment = LaneSegment.format(SharedMemory.create("merger-test", LaneSegment.sizeFor(
                capacities)), 0, capacities)) {
            ComponentHost host = ComponentHost.rehearsing("sensor", segment, system,
                    new PrintStream(OutputStream.nullOutputStream()));
            segment.coalescingWindowNanos(TimeUnit.MILLISECONDS.toNanos(20)); // as the Engine writes it
            for (int i = 0; i < 1_000; i++) {
                assertTrue(host.emit(service, 1, value(i), false));
                assertTrue(host.emit(service, 2, value(i), true));
            }
            segment.coalescingWindowNanos(0);
            long[] counts = new long[Priority.values().length];
            long[] frames = new long[Priority.values().length];
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (counts[Priority.NORMAL.ordinal()] < 1_000 && System.nanoTime() - giveUp < 0) {
                for (Priority p : Priority.values()) {
                    segment.requests().lane(p).poll((type, b, index, length) -> {
                        assertEquals(FrameType.EVENT, type);
                        counts[p.ordinal()] += Math.max(1, Frame.status(b, index));
                        frames[p.ordinal()]++;
                    }, 1024);
                }
                Thread.sleep(1);
            }
            assertEquals(1_000, frames[Priority.CRITICAL.ordinal()], "critical events are never merged");
            assertEquals(1_000, counts[Priority.CRITICAL.ordinal()]);
            assertEquals(1_000, counts[Priority.NORMAL.ordinal()], "every ordinary event accounted for");
            assertTrue(frames[Priority.NORMAL.ordinal()] < 1_000, "the window was not obeyed: "
                    + frames[Priority.NORMAL.ordinal()] + " frames");
        }
    }
}
