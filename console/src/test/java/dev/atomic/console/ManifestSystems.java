package dev.atomic.console;

import dev.atomic.component.SystemSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/** A test system written as manifests: the resource directory {@code name} beside {@code owner}'s class. */
final class ManifestSystems {
    private ManifestSystems() {
    }

    /** The system {@code name} when it is the one asked for, else empty (a {@code SystemProvider}'s answer). */
    static Optional<SystemSpec> ifAsked(String asked, Class<?> owner, String name) {
        if (!name.equals(asked)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SystemSpec.fromDirectory(Path.of(owner.getResource(name).toURI())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
