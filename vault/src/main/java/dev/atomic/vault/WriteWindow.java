package dev.atomic.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The only moment the Vault is writable: owner write is added to the directories being changed and taken away again
 * on close, and directories created meanwhile end read-only too. Files are written 0444 from the start.
 */
final class WriteWindow implements AutoCloseable {

    private final Map<Path, Integer> opened = new LinkedHashMap<>();
    private final List<Path> created = new ArrayList<>();

    WriteWindow(Path... dirs) throws IOException {
        for (Path d : dirs) {
            open(d);
        }
    }

    /** Adds owner write to {@code dir} until {@link #close()}, which leaves it without. */
    void open(Path dir) throws IOException {
        if (opened.containsKey(dir) || created.contains(dir)) {
            return;
        }
        int mode = Modes.of(dir);
        // Closing takes owner write away even if a crashed writer had left it on.
        opened.put(dir, mode & ~Modes.OWNER_WRITE);
        Modes.set(dir, mode | Modes.OWNER_WRITE);
    }

    /** Creates {@code dir} (its parent must be open), writable until {@link #close()}, read-only after. */
    void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir);
        Modes.set(dir, 0755);
        created.add(dir);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Path d : created) {
            first = restore(d, Modes.READ_ONLY_DIR, first);
        }
        for (Map.Entry<Path, Integer> e : opened.entrySet()) {
            first = restore(e.getKey(), e.getValue(), first);
        }
        if (first != null) {
            throw first;
        }
    }

    private static IOException restore(Path dir, int mode, IOException first) {
        try {
            Modes.set(dir, mode);
            return first;
        } catch (IOException e) {
            if (first != null) {
                first.addSuppressed(e);
                return first;
            }
            return e;
        }
    }
}
