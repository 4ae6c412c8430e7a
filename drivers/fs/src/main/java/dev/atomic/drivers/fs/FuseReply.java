package dev.atomic.drivers.fs;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * One reply being written: struct fuse_out_header (len, error, unique: 16 bytes), then what the opcode answers.
 * The kernel takes a reply as one write.
 */
final class FuseReply {
    /** A time-out the kernel keeps names and attributes for: this driver is the only writer of its tree. */
    static final long VALID_SECONDS = 1;
    /** struct fuse_attr: 88 bytes. */
    static final int ATTR_BYTES = 88;
    /** struct fuse_entry_out: nodeid, generation, entry_valid, attr_valid, their nanoseconds, then the attributes. */
    static final int ENTRY_BYTES = 40 + ATTR_BYTES;
    /** struct fuse_dirent: ino, off, namelen, type, then the name, padded to 8. */
    static final int DIRENT_HEADER = 24;

    private final MemorySegment buffer;
    private int length;

    FuseReply(MemorySegment buffer) {
        this.buffer = buffer;
    }

    /** Starts the answer to request {@code unique}, a success so far. */
    FuseReply start(long unique) {
        buffer.set(JAVA_INT_UNALIGNED, 4, 0);
        buffer.set(JAVA_LONG_UNALIGNED, 8, unique);
        length = Fuse.OUT_HEADER;
        return this;
    }

    /** The whole answer to {@code unique}: the error {@code errno} and nothing more. */
    FuseReply error(long unique, int errno) {
        start(unique);
        buffer.set(JAVA_INT_UNALIGNED, 4, -errno);
        return this;
    }

    /** A notification: unique 0, its code where a reply's error goes. */
    FuseReply notification(int code) {
        start(0);
        buffer.set(JAVA_INT_UNALIGNED, 4, code);
        return this;
    }

    FuseReply int32(int value) {
        buffer.set(JAVA_INT_UNALIGNED, length, value);
        length += 4;
        return this;
    }

    FuseReply int64(long value) {
        buffer.set(JAVA_LONG_UNALIGNED, length, value);
        length += 8;
        return this;
    }

    FuseReply int16(int value) {
        buffer.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, length, (short) value);
        length += 2;
        return this;
    }

    FuseReply zeros(int count) {
        buffer.asSlice(length, count).fill((byte) 0);
        length += count;
        return this;
    }

    FuseReply bytes(byte[] data) {
        MemorySegment.copy(MemorySegment.ofArray(data), 0, buffer, length, data.length);
        length += data.length;
        return this;
    }

    /** Room for {@code size} bytes written straight into the buffer (a read's data), taken as written. */
    MemorySegment room(int size) {
        return buffer.asSlice(length, size);
    }

    /** Takes {@code size} bytes written into {@link #room} as part of the reply. */
    FuseReply advance(int size) {
        length += size;
        return this;
    }

    /** struct fuse_attr. */
    FuseReply attr(Attributes a) {
        return int64(a.ino()).int64(a.size()).int64((a.size() + 511) / 512).int64(a.atime() / 1_000_000_000L)
                .int64(a.mtime() / 1_000_000_000L).int64(a.ctime() / 1_000_000_000L)
                .int32((int) (a.atime() % 1_000_000_000L)).int32((int) (a.mtime() % 1_000_000_000L))
                .int32((int) (a.ctime() % 1_000_000_000L)).int32(a.mode()).int32(a.nlink()).int32(a.uid())
                .int32(a.gid()).int32(a.rdev()).int32(4096).int32(0);
    }

    /** struct fuse_entry_out for {@code nodeId}. */
    FuseReply entry(long nodeId, Attributes a) {
        return int64(nodeId).int64(0).int64(VALID_SECONDS).int64(VALID_SECONDS).int32(0).int32(0).attr(a);
    }

    /** struct fuse_attr_out. */
    FuseReply attrOut(Attributes a) {
        return int64(VALID_SECONDS).int32(0).int32(0).attr(a);
    }

    /** struct fuse_open_out: the handle (this driver's is the node id, which outlives a restart), no flags. */
    FuseReply openOut(long handle) {
        return int64(handle).int32(0).int32(0);
    }

    /**
     * One directory entry, if it fits in {@code limit} bytes of reply (after the header); false when it does not.
     *
     * @param next the offset a READDIR continues from after this entry
     */
    boolean dirent(long ino, long next, int type, String name, int limit) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int size = (DIRENT_HEADER + bytes.length + 7) & ~7;
        if (length - Fuse.OUT_HEADER + size > limit) {
            return false;
        }
        int start = length;
        int64(ino).int64(next).int32(bytes.length).int32(type).bytes(bytes);
        zeros(start + size - length);
        return true;
    }

    /** The finished reply, its length in its header. */
    MemorySegment finish() {
        buffer.set(JAVA_INT_UNALIGNED, 0, length);
        return buffer.asSlice(0, length);
    }
}
