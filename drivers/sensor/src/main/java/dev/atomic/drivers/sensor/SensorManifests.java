package dev.atomic.drivers.sensor;

import dev.atomic.component.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests this module ships, beside this class (`src/main/resources/dev/atomic/drivers/sensor/`): what a system
 * that wants this driver adds to its own.
 */
public final class SensorManifests {
    public static final List<String> FILES = List.of("sensor.toml", "sensor-sink.toml");

    private SensorManifests() {
    }

    public static List<Manifest> read() {
        List<Manifest> manifests = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = SensorManifests.class.getResourceAsStream(file)) {
                manifests.add(Manifest.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8), null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifests;
    }
}
