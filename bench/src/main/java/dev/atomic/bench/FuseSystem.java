package dev.atomic.bench;

import dev.atomic.component.Manifest;
import dev.atomic.component.SystemSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** {@code bench-fuse}: the FUSE driver alone, from the manifest its module ships (drivers/fs's fs.toml). */
final class FuseSystem {
    static final String NAME = "bench-fuse";
    static final String MANIFEST = "/dev/atomic/drivers/fs/fs.toml";

    private FuseSystem() {
    }

    static Optional<SystemSpec> parse(String name) {
        if (!NAME.equals(name)) {
            return Optional.empty();
        }
        try (InputStream in = FuseSystem.class.getResourceAsStream(MANIFEST)) {
            if (in == null) {
                throw new IllegalStateException(MANIFEST + " is not on the class path (atomic-driver-fs)");
            }
            Manifest m = Manifest.parse("fs.toml", new String(in.readNBytes(Manifest.MAX_BYTES + 1),
                    java.nio.charset.StandardCharsets.UTF_8), null);
            return Optional.of(new SystemSpec(NAME, List.of(m.component())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
