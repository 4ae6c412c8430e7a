package dev.atomic.drivers.sensor;

import dev.atomic.component.Manifest;
import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReadingStatsTest {
    @TempDir
    Path dir;

    @Test
    void aCoalescedFrameCountsForTheReadingsItStandsFor() throws Exception {
        ReadingStats stats = new ReadingStats();
        stats.received(1);
        stats.received(40);
        stats.received(1);
        Path file = dir.resolve(ReadingStats.FILE);
        stats.writeTo(file);
        assertEquals(new ReadingStats.Snapshot(3, 42, 1), ReadingStats.Snapshot.read(file));
        Files.writeString(file, "frames=1\n");
        assertThrows(java.io.IOException.class, () -> ReadingStats.Snapshot.read(file));
    }

    @Test
    void theShippedManifestsMakeASystemOfTheirOwn() {
        SystemSpec system = new SystemSpec("sensor-only", SensorManifests.read().stream().map(Manifest::component)
                .toList());
        assertEquals(List.of(SensorDriver.READINGS, SensorDriver.SERVICE), system.services());
        assertEquals(List.of(SensorDriver.class.getName(), SensorSink.class.getName()), system.components().stream()
                .map(c -> c.image().entry()).toList());
    }
}
