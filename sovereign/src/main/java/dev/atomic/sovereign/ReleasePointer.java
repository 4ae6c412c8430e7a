package dev.atomic.sovereign;

import dev.atomic.vault.ReleaseManifest;
import dev.atomic.vault.SafeFiles;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Which release an instance boots: {@code <home>/deploy/<instance>.release}. It changes by one atomic rename, so a
 * power cut at any moment leaves either the old pointer or the new one, never a mix.
 *
 * @param current  the release a boot runs
 * @param origin   {@link #INSTALLATION}: made from the installed files, so a boot follows the installation when it
 *                 changes; {@link #UPDATE}: installed by {@code atomic update}, so a boot keeps it
 * @param previous the release before it, for rollback; empty on first boot
 */
record ReleasePointer(String current, String origin, Optional<String> previous) {
    static final String INSTALLATION = "installation";
    static final String UPDATE = "update";

    ReleasePointer {
        ReleaseManifest.checkReleaseName(current);
        previous.ifPresent(ReleaseManifest::checkReleaseName);
        if (!origin.equals(INSTALLATION) && !origin.equals(UPDATE)) {
            throw new IllegalArgumentException("origin must be " + INSTALLATION + " or " + UPDATE + ", not " + origin);
        }
    }

    static Path file(Path home, String instance) {
        return home.resolve("deploy").resolve(instance + ".release");
    }

    static Optional<ReleasePointer> read(Path home, String instance) throws IOException {
        Path f = file(home, instance);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(f)));
        try {
            return Optional.of(new ReleasePointer(p.getProperty("current", ""), p.getProperty("origin", ""),
                    Optional.ofNullable(p.getProperty("previous"))));
        } catch (RuntimeException e) {
            throw new IOException(f + " is damaged (" + e.getMessage() + "); remove it to boot a release made from "
                    + "the installation", e);
        }
    }

    /** The pointer after switching to {@code release}: this one's current becomes the previous. */
    ReleasePointer next(String release, String newOrigin) {
        return new ReleasePointer(release, newOrigin,
                release.equals(current) ? previous : Optional.of(current));
    }

    void write(Path home, String instance) throws IOException {
        Path f = file(home, instance);
        Files.createDirectories(f.getParent());
        String text = "current=" + current + "\norigin=" + origin + "\n"
                + previous.map(p -> "previous=" + p + "\n").orElse("");
        SafeFiles.writeAtomically(f, text.getBytes(StandardCharsets.UTF_8), 0644);
    }
}
