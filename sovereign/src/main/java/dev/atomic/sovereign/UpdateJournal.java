package dev.atomic.sovereign;

import dev.atomic.vault.SafeFiles;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <home>/deploy/<instance>.update}: which update is under way and its step, written (atomically) before each
 * step. The instance's pointer moves only at the commit; so after a power cut, a boot that finds a journal knows the
 * update did not finish and runs the release the pointer names — the old one, whole, or the new one if the commit
 * was reached — and says so.
 */
final class UpdateJournal {
    record Entry(String from, String to, String step) {
    }

    private final Path file;
    private String from;
    private String to;

    UpdateJournal(Path home, String instance) {
        this.file = home.resolve("deploy").resolve(instance + ".update");
    }

    Optional<Entry> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file)));
        return Optional.of(new Entry(p.getProperty("from", "?"), p.getProperty("to", "?"), p.getProperty("step", "?")));
    }

    void begin(String fromRelease, String toRelease) throws IOException {
        this.from = fromRelease;
        this.to = toRelease;
        step("start");
    }

    void step(String step) throws IOException {
        Files.createDirectories(file.getParent());
        SafeFiles.writeAtomically(file, ("from=" + from + "\nto=" + to + "\nstep=" + step + "\n")
                .getBytes(StandardCharsets.UTF_8), 0644);
    }

    void clear() throws IOException {
        Files.deleteIfExists(file);
    }
}
