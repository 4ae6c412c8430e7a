package dev.atomic.auditor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A host read from a directory tree: "/" for the live host, a recorded tree for a fixture. */
final class TreeHost implements HostView {

    private final Path root;
    private final Probes probes;

    TreeHost(Path root, Probes probes) {
        this.root = root;
        this.probes = probes;
    }

    private Path at(String absolutePath) {
        return root.resolve(absolutePath.replaceFirst("^/+", ""));
    }

    @Override
    public Optional<String> read(String absolutePath) {
        try {
            return Optional.of(Files.readString(at(absolutePath)));
        } catch (IOException | UncheckedIOException e) {
            // Missing, a directory, or refused (some /sys and /proc files are root-only): all mean "unknown".
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String absolutePath) {
        return Files.exists(at(absolutePath));
    }

    @Override
    public boolean openable(String absolutePath) {
        Path p = at(absolutePath);
        return Files.isReadable(p) && Files.isWritable(p) && !probes.closed().contains(absolutePath);
    }

    @Override
    public List<String> list(String absoluteDir) {
        try (Stream<Path> entries = Files.list(at(absoluteDir))) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    @Override
    public int landlockAbi() {
        return probes.landlockAbi();
    }

    @Override
    public boolean root() {
        return probes.root();
    }

    @Override
    public boolean toolPresent(String tool) {
        return probes.tools().contains(tool);
    }
}
