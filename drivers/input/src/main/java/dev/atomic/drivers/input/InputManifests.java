package dev.atomic.drivers.input;

import dev.atomic.component.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests this module ships, beside this class (`src/main/resources/dev/atomic/drivers/input/`): what a system
 * that wants this driver adds to its own.
 */
public final class InputManifests {
    public static final List<String> FILES = List.of("input.toml", "input-sink.toml");

    private InputManifests() {
    }

    public static List<Manifest> read() {
        List<Manifest> manifests = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = InputManifests.class.getResourceAsStream(file)) {
                manifests.add(Manifest.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8), null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifests;
    }
}
