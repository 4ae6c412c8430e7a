package dev.atomic.drivers.fs;

import dev.atomic.component.FuseSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's side of the FUSE protocol, played against as the kernel would: requests laid out as
 * include/uapi/linux/fuse.h lays them out, answers read at that header's offsets. No device, no mount.
 */
class FuseServerTest {
    private static final long SESSION = 0x5e55_1071L;

    @TempDir
    Path state;

    private long unique = 2;

    /** A server as a driver incarnation runs it over {@code state} for {@code session}. */
    private FsDriver.Served served(long session) throws IOException {
        return FsDriver.Served.open(new FuseSession(-1, session), state, new PrintStream(new ByteArrayOutputStream()));
    }

    /** struct fuse_in_header then {@code body}, as read from /dev/fuse. */
    private FuseRequest request(int opcode, long node, boolean resent, byte[] body) {
        MemorySegment buffer = Arena.ofAuto().allocate(Fuse.BUFFER, 8);
        ByteBuffer b = buffer.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int length = Fuse.IN_HEADER + body.length;
        b.putInt(length).putInt(opcode).putLong((unique += 2) | (resent ? Fuse.UNIQUE_RESEND : 0)).putLong(node)
                .putInt(0).putInt(0).putInt(1234).putShort((short) 0).putShort((short) 0).put(body);
        return new FuseRequest(buffer).read(length);
    }

    private static byte[] body(Object... parts) {
        ByteBuffer b = ByteBuffer.allocate(Fuse.BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        for (Object p : parts) {
            switch (p) {
                case Integer i -> b.putInt(i);
                case Long l -> b.putLong(l);
                case String s -> b.put(s.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
                case byte[] bytes -> b.put(bytes);
                default -> throw new IllegalArgumentException(String.valueOf(p));
            }
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** The answer as the kernel reads it: header checked against the request, the rest returned. */
    private static ByteBuffer answer(FuseServer server, FuseRequest r, int expectedError) {
        MemorySegment a = server.answer(r);
        ByteBuffer b = a.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(a.byteSize(), b.getInt(0), "the header's length is the reply's");
        assertEquals(-expectedError, b.getInt(4), "error of opcode " + r.opcode());
        assertEquals(r.unique(), b.getLong(8), "a reply names its request's unique, the resend bit included");
        return b.position(Fuse.OUT_HEADER).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long nodeOf(ByteBuffer entry) {
        return entry.getLong(0);
    }

    /** fuse_attr's mode, inside fuse_entry_out (at 40 + 60). */
    private static int entryMode(ByteBuffer entry) {
        return entry.getInt(40 + 60);
    }

    @Test
    void initTakesWhatTheDriverWantsOfWhatTheKernelOffers() throws IOException {
        FuseServer server = served(SESSION).server();
        long offered = Fuse.BIG_WRITES | Fuse.MAX_PAGES | Fuse.INIT_EXT | 1L /* ASYNC_READ */ | Fuse.HAS_RESEND;
        ByteBuffer out = answer(server, request(Fuse.INIT, 0, false, body(7, 45, 131072, (int) offered,
                (int) (offered >>> 32), new byte[44])), 0);
        assertEquals(64, out.remaining(), "struct fuse_init_out is 64 bytes");
        assertEquals(7, out.getInt(0));
        assertEquals(Fuse.MINOR, out.getInt(4), "the driver speaks 7.40 to a newer kernel");
        assertEquals(131072, out.getInt(8), "max_readahead as offered");
        long flags = Integer.toUnsignedLong(out.getInt(12)) | (long) out.getInt(32) << 32;
        assertEquals(Fuse.BIG_WRITES | Fuse.MAX_PAGES | Fuse.INIT_EXT, flags, "only wanted flags, only offered ones");
        assertEquals(Fuse.MAX_WRITE, out.getInt(20), "max_write");
        assertEquals(Fuse.MAX_PAGES_COUNT, Short.toUnsignedInt(out.getShort(28)), "max_pages");
    }

    @Test
    void filesAreMadeWrittenReadListedAndRemovedInTheBackingTree() throws IOException {
        FuseServer server = served(SESSION).server();
        ByteBuffer dir = answer(server, request(Fuse.MKDIR, Fuse.ROOT_ID, false, body(0755, 022, "docs")), 0);
        long docs = nodeOf(dir);
        assertEquals(Attributes.S_IFDIR | 0755, entryMode(dir));
        ByteBuffer created = answer(server, request(Fuse.CREATE, docs, false, body(0101, 0640, 022, 0, "a.txt")), 0);
        long file = nodeOf(created);
        assertEquals(FuseReply.ENTRY_BYTES + 16, created.remaining(), "fuse_entry_out then fuse_open_out");
        assertEquals(file, created.getLong(FuseReply.ENTRY_BYTES), "the handle is the node id");
        assertEquals(Attributes.S_IFREG | 0640, entryMode(created));

        byte[] data = "hello, FUSE".getBytes(StandardCharsets.UTF_8);
        ByteBuffer written = answer(server, request(Fuse.WRITE, file, false, body(file, 3L, data.length, 0, 0L, 0, 0,
                data)), 0);
        assertEquals(data.length, written.getInt(0));
        byte[] onDisk = Files.readAllBytes(state.resolve(FsDriver.TREE).resolve("docs/a.txt"));
        assertEquals(3 + data.length, onDisk.length);
        ByteBuffer read = answer(server, request(Fuse.READ, file, false, body(file, 3L, 4096, 0, 0L, 0, 0)), 0);
        byte[] back = new byte[read.remaining()];
        read.get(back);
        assertArrayEquals(data, back, "a read stops at the end of the file");
        ByteBuffer attr = answer(server, request(Fuse.GETATTR, file, false, body(0, 0, 0L)), 0);
        assertEquals(3 + data.length, attr.getLong(16 + 8), "fuse_attr_out's size");

        ByteBuffer listing = answer(server, request(Fuse.READDIR, docs, false, body(docs, 0L, 4096, 0, 0L, 0, 0)), 0);
        List<String> names = new ArrayList<>();
        long lastOffset = 0;
        while (listing.hasRemaining()) {
            int start = listing.position();
            lastOffset = listing.getLong(start + 8);
            int length = listing.getInt(start + 16);
            byte[] name = new byte[length];
            listing.get(start + FuseReply.DIRENT_HEADER, name);
            names.add(new String(name, StandardCharsets.UTF_8));
            listing.position(start + ((FuseReply.DIRENT_HEADER + length + 7) & ~7));
        }
        assertEquals(List.of(".", "..", "a.txt"), names);
        assertEquals(3, lastOffset, "each entry says where the next read continues");

        answer(server, request(Fuse.UNLINK, docs, false, body("a.txt")), 0);
        answer(server, request(Fuse.UNLINK, docs, false, body("a.txt")), Errors.ENOENT);
        answer(server, request(Fuse.RMDIR, Fuse.ROOT_ID, false, body("docs")), 0);
        assertFalse(Files.exists(state.resolve(FsDriver.TREE).resolve("docs")));
        assertNull(server.answer(request(Fuse.FORGET, file, false, body(1L))), "FORGET is never answered");
        answer(server, request(22 /* GETXATTR */, file, false, body(0, 0, "user.x")), Errors.ENOSYS);
    }

    @Test
    void aFullVolumeIsEnospcNotEio() {
        // FileChannel's writes fail with a plain IOException worded as strerror words it, not a FileSystemException.
        assertEquals(Errors.ENOSPC, Errors.of(new IOException("No space left on device")));
        assertEquals(Errors.ENOTEMPTY, Errors.of(new java.nio.file.DirectoryNotEmptyException("d")));
        assertEquals(Errors.EIO, Errors.of(new IOException("something else")));
    }

    @Test
    void aRestartedDriverKnowsTheNodesAndTakesReplaysAsDone() throws IOException {
        FsDriver.Served first = served(SESSION);
        long docs = nodeOf(answer(first.server(), request(Fuse.MKDIR, Fuse.ROOT_ID, false, body(0755, 0, "docs")), 0));
        long file = nodeOf(answer(first.server(), request(Fuse.CREATE, docs, false, body(0101, 0644, 0, 0, "f")), 0));
        first.tree().close(); // killed: what it journaled is all a successor has

        FuseServer second = served(SESSION).server();
        assertEquals(docs, nodeOf(answer(second, request(Fuse.LOOKUP, Fuse.ROOT_ID, false, body("docs")), 0)),
                "the node ids the kernel holds stay valid");
        answer(second, request(Fuse.GETATTR, file, false, body(0, 0, 0L)), 0);
        answer(second, request(Fuse.MKDIR, Fuse.ROOT_ID, false, body(0755, 0, "docs")), Errors.EEXIST);
        assertEquals(docs, nodeOf(answer(second, request(Fuse.MKDIR, Fuse.ROOT_ID, true, body(0755, 0, "docs")), 0)),
                "a MKDIR sent again after its first reader died made the directory: done");
        assertEquals(file, nodeOf(answer(second, request(Fuse.CREATE, docs, true, body(0101, 0644, 0, 0, "f")), 0)));

        answer(second, request(Fuse.RENAME, docs, false, body(Fuse.ROOT_ID, "f", "g")), 0);
        answer(second, request(Fuse.RENAME, docs, true, body(Fuse.ROOT_ID, "f", "g")), 0);
        answer(second, request(Fuse.RENAME, docs, false, body(Fuse.ROOT_ID, "f", "g")), Errors.ENOENT);
        assertTrue(Files.exists(state.resolve(FsDriver.TREE).resolve("g")));
        answer(second, request(Fuse.GETATTR, file, false, body(0, 0, 0L)), 0);

        answer(second, request(Fuse.UNLINK, Fuse.ROOT_ID, false, body("g")), 0);
        answer(second, request(Fuse.UNLINK, Fuse.ROOT_ID, true, body("g")), 0);

        FuseServer nextMount = served(SESSION + 1).server();
        answer(nextMount, request(Fuse.GETATTR, docs, false, body(0, 0, 0L)), Errors.ESTALE);
    }
}
