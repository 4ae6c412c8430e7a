package dev.atomic.drivers.input;

import dev.atomic.component.Manifest;
import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyStatsTest {
    @TempDir
    Path dir;

    private static KeyEvent press(long sequence, long readNanos) {
        return new KeyEvent(sequence, 'a', readNanos);
    }

    @Test
    void theSequenceShowsAPressLostReorderedOrCoalescedAndTheFileCanBeSubtracted() throws Exception {
        KeyStats stats = new KeyStats();
        Path file = dir.resolve(KeyStats.FILE);
        stats.received(press(5, 0), 1, 0, 0, 1_000); // the sink's first: wherever the driver's sequence is
        stats.received(press(6, 0), 1, 0, 0, 2_000);
        stats.writeTo(file);
        KeyStats.Snapshot before = KeyStats.Snapshot.read(file);
        stats.received(press(9, 0), 1, 0, 0, 1_000_000); // 7 and 8 lost
        stats.received(press(8, 0), 3, 0, 0, 1_000_000); // late, and standing for three: both wrong for a key press
        stats.received(press(0, 0), 1, 0, 0, 1_000_000); // a restarted driver starts again at 0: no gap
        stats.received(press(1, 0), 1, 0, 0, 1_000_000);
        stats.writeTo(file);
        KeyStats.Snapshot after = KeyStats.Snapshot.read(file);
        assertEquals(List.of(6L, 2L, 1L, 1L, 2L, 1L), List.of(after.received(), after.gaps(), after.reordered(),
                after.coalesced(), after.starts(), after.lastSequence()));
        assertEquals(2, before.latency().getTotalCount());
        assertEquals(4, after.latencySince(before).getTotalCount(), "only the presses after the first reading");
        assertEquals(1_000_000, after.latencySince(before).getValueAtPercentile(50), 1_000_000 / 1000.0);
        assertEquals(0, before.gaps() + before.reordered() + before.coalesced());
    }

    @Test
    void aPressesHopsAddUpToItsLatencyAndOneWithoutTimesHasNone() throws Exception {
        KeyStats stats = new KeyStats();
        Path file = dir.resolve(KeyStats.FILE);
        stats.received(press(0, 1_000), 1, 0, 0, 500_000); // from a source or an Engine that does not say its times
        stats.writeTo(file);
        KeyStats.Snapshot before = KeyStats.Snapshot.read(file);
        stats.received(press(1, 1_000), 1, 3_000, 103_000, 403_000);
        stats.writeTo(file);
        KeyStats.Snapshot after = KeyStats.Snapshot.read(file);
        assertEquals(0, before.hops()[KeyStats.Hop.TO_ENGINE.ordinal()].getTotalCount());
        assertEquals(List.of(2_000L, 100_000L, 300_000L), java.util.Arrays.stream(KeyStats.Hop.values())
                .map(h -> after.hopSince(h, before).getMaxValue()).map(v -> v / 1000 * 1000).toList());
        assertEquals(402_000, after.latencySince(before).getMaxValue(), 402_000 / 1000.0);
    }

    @Test
    void pressesKeepArrivingWhileTheFileIsWrittenAndEachIsInTheNextFileOnce() throws Exception {
        KeyStats stats = new KeyStats();
        Path file = dir.resolve(KeyStats.FILE);
        int presses = 20_000;
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    stats.writeTo(file);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (int i = 0; i < presses; i++) {
            stats.received(press(i, 0), 1, 0, 0, 1_000);
        }
        writer.join();
        stats.writeTo(file);
        KeyStats.Snapshot last = KeyStats.Snapshot.read(file);
        assertEquals(presses, last.received());
        assertEquals(presses, last.latency().getTotalCount(), "every press's latency, once");
        assertEquals(0, last.gaps() + last.reordered());
        assertTrue(stats.summary().startsWith(presses + " key presses, latency p50 1.0"), stats.summary());
    }

    @Test
    void aMalformedEventIsCountedNotMeasured() {
        assertEquals(null, KeyEvent.decode(new byte[3]));
        KeyEvent e = new KeyEvent(42, 'q', 123_456_789L);
        assertEquals(e, KeyEvent.decode(e.encode()));
    }

    @Test
    void theShippedManifestsMakeASystemOfTheirOwn() throws Exception {
        SystemSpec system = new SystemSpec("input-only", InputManifests.read().stream().map(Manifest::component)
                .toList());
        assertEquals(List.of("input-events"), system.services());
        assertEquals(List.of(InputDriver.class.getName(), InputSink.class.getName()), system.components().stream()
                .map(c -> c.image().entry()).toList());
        assertEquals(dev.atomic.component.ComponentSpec.INPUT_WEIGHT, system.components().getFirst().cpuWeight());
    }
}
