package dev.atomic.drivers.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node ids this driver has handed the kernel, each a name in a parent directory, kept in a journal in the state
 * directory: the kernel goes on using them after the driver dies, so its successor must know them. Every change is
 * one write(2) appended to the journal before the kernel hears of it, so a driver killed at any instruction leaves
 * a journal its successor reads (a record cut short at the end is a change that was never answered, and is redone
 * when the kernel sends its request again). The journal belongs to one FUSE session: a new session (a new mount)
 * starts an empty table. Nodes are never forgotten (FORGET is not acted on): a session's table grows with the
 * names it has seen, and is compacted when the next driver opens it.
 */
final class NodeTable implements Closeable {
    private static final byte ADD = 'A';
    private static final byte MOVE = 'M';
    private static final byte DROP = 'D';
    private static final int RECORD_HEADER = 1 + 8 + 8 + 2;
    private static final int SESSION_HEADER = 8;

    private record Node(long parent, String name) {
    }

    private record Key(long parent, String name) {
    }

    private final Map<Long, Node> nodes = new HashMap<>();
    private final Map<Key, Long> byName = new HashMap<>();
    private FileChannel journal;
    private long next = Fuse.ROOT_ID + 1;

    private NodeTable() {
    }

    /**
     * The table of {@code session} from {@code file}, compacted; empty when the file holds another session's or
     * none.
     */
    static NodeTable open(Path file, long session) throws IOException {
        NodeTable table = new NodeTable();
        if (Files.exists(file)) {
            table.replay(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN), session);
        }
        Path fresh = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.allocate(SESSION_HEADER).order(ByteOrder.LITTLE_ENDIAN).putLong(0, session));
            for (Map.Entry<Long, Node> e : table.nodes.entrySet()) {
                out.write(record(ADD, e.getKey(), e.getValue().parent(), e.getValue().name()));
            }
        }
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        table.journal = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return table;
    }

    private void replay(ByteBuffer in, long session) {
        if (in.remaining() < SESSION_HEADER || in.getLong() != session) {
            return;
        }
        while (in.remaining() >= RECORD_HEADER) {
            byte type = in.get();
            long id = in.getLong();
            long parent = in.getLong();
            int length = Short.toUnsignedInt(in.getShort());
            if (in.remaining() < length) {
                return;
            }
            byte[] name = new byte[length];
            in.get(name);
            apply(type, id, parent, new String(name, StandardCharsets.UTF_8));
            next = Math.max(next, id + 1);
        }
    }

    private void apply(byte type, long id, long parent, String name) {
        Node old = switch (type) {
            case ADD, MOVE -> nodes.put(id, new Node(parent, name));
            default -> nodes.remove(id);
        };
        if (old != null) {
            byName.remove(new Key(old.parent(), old.name()), id);
        }
        if (type != DROP) {
            Long displaced = byName.put(new Key(parent, name), id);
            if (displaced != null && displaced != id) {
                nodes.remove(displaced);
            }
        }
    }

    /** The id of {@code name} in {@code parent}, or 0 when none was handed out. */
    long find(long parent, String name) {
        return byName.getOrDefault(new Key(parent, name), 0L);
    }

    /** The id of {@code name} in {@code parent}, a new one journaled if none was handed out. */
    long idOf(long parent, String name) throws IOException {
        long id = find(parent, name);
        if (id != 0) {
            return id;
        }
        id = next++;
        log(ADD, id, parent, name);
        return id;
    }

    /** The node now called {@code name} in {@code parent} is called {@code newName} in {@code newParent}. */
    void move(long parent, String name, long newParent, String newName) throws IOException {
        long id = find(parent, name);
        if (id != 0) {
            log(MOVE, id, newParent, newName);
        } else {
            drop(newParent, newName); // whatever the target was called is gone, replaced by a node never looked up
        }
    }

    /** {@code name} in {@code parent} is gone. */
    void drop(long parent, String name) throws IOException {
        long id = find(parent, name);
        if (id != 0) {
            log(DROP, id, 0, "");
        }
    }

    /** The path of node {@code id} under {@code root}, or null for an id this session never handed out. */
    Path path(Path root, long id) {
        List<String> names = new ArrayList<>();
        long at = id;
        while (at != Fuse.ROOT_ID) {
            Node n = nodes.get(at);
            if (n == null) {
                return null;
            }
            names.add(n.name());
            at = n.parent();
        }
        Path p = root;
        for (int i = names.size() - 1; i >= 0; i--) {
            p = p.resolve(names.get(i));
        }
        return p;
    }

    int size() {
        return nodes.size();
    }

    private void log(byte type, long id, long parent, String name) throws IOException {
        ByteBuffer r = record(type, id, parent, name);
        while (r.hasRemaining()) {
            journal.write(r);
        }
        apply(type, id, parent, name);
    }

    private static ByteBuffer record(byte type, long id, long parent, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(type).putLong(id).putLong(parent).putShort((short) bytes.length).put(bytes);
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
