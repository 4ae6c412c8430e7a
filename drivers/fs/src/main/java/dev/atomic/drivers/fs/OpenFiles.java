package dev.atomic.drivers.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backing files I/O goes to, by node id, opened on first use: a file handle given to the kernel is the node id,
 * so a restarted driver serves the handles its predecessor gave out. The least recently used are closed past
 * {@value #LIMIT}. The kernel checks permissions (default_permissions), so a file its owner may not write
 * (mode 0444, say, which an archive extracts) is opened for writing all the same: this driver owns every backing
 * file and lends itself the write bit for the open.
 */
final class OpenFiles implements Closeable {
    private static final int LIMIT = 64;
    private static final int OWNER_RW = 0600;

    private final Map<Long, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, FileChannel> eldest) {
            if (size() <= LIMIT) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    /** The channel for node {@code id}, whose file is at {@code path} (null: no longer named, only open). */
    FileChannel channel(long id, Path path) throws IOException {
        FileChannel c = open.get(id);
        if (c != null) {
            return c;
        }
        if (path == null) {
            throw new java.nio.file.NoSuchFileException("node " + id);
        }
        try {
            c = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            int mode = (int) Files.getAttribute(path, "unix:mode") & 07777;
            Files.setAttribute(path, "unix:mode", mode | OWNER_RW);
            try {
                c = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } finally {
                Files.setAttribute(path, "unix:mode", mode);
            }
        }
        open.put(id, c);
        return c;
    }

    @Override
    public void close() {
        open.values().forEach(OpenFiles::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing written is lost: writes went to the file as they came
        }
    }
}
