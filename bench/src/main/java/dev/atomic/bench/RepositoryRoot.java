package dev.atomic.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where results files belong: the Atomic checkout the user is in. */
final class RepositoryRoot {
    private RepositoryRoot() {
    }

    /** The nearest directory at or above {@code from} holding the {@code atomic} launcher and a pom.xml; else {@code from}. */
    static Path find(Path from) {
        Path start = from.toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("atomic")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return start;
    }
}
