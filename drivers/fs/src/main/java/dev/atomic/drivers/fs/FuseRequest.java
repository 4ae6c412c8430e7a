package dev.atomic.drivers.fs;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * One request as read from the device, in place: struct fuse_in_header (len, opcode, unique, nodeid, uid, gid, pid,
 * total_extlen, padding: 40 bytes), then the opcode's arguments, read here by their offset after the header.
 */
final class FuseRequest {
    private final MemorySegment buffer;
    private int length;

    FuseRequest(MemorySegment buffer) {
        this.buffer = buffer;
    }

    /** Takes the {@code length} bytes just read into the buffer as the current request. */
    FuseRequest read(int length) {
        if (length < Fuse.IN_HEADER || buffer.get(JAVA_INT_UNALIGNED, 0) != length) {
            throw new IllegalArgumentException("a FUSE request of " + length + " bytes whose header says "
                    + (length >= 4 ? buffer.get(JAVA_INT_UNALIGNED, 0) : -1));
        }
        this.length = length;
        return this;
    }

    MemorySegment buffer() {
        return buffer;
    }

    int opcode() {
        return buffer.get(JAVA_INT_UNALIGNED, 4);
    }

    long unique() {
        return buffer.get(JAVA_LONG_UNALIGNED, 8);
    }

    /** Sent again after a driver that read it died without answering (or asked for it again). */
    boolean resent() {
        return (unique() & Fuse.UNIQUE_RESEND) != 0;
    }

    long nodeId() {
        return buffer.get(JAVA_LONG_UNALIGNED, 16);
    }

    /** The 32-bit argument at {@code offset} after the header. */
    int int32(int offset) {
        return buffer.get(JAVA_INT_UNALIGNED, Fuse.IN_HEADER + offset);
    }

    long int64(int offset) {
        return buffer.get(JAVA_LONG_UNALIGNED, Fuse.IN_HEADER + offset);
    }

    /** The NUL-terminated name starting at {@code offset} after the header. */
    String name(int offset) {
        int start = Fuse.IN_HEADER + offset;
        int end = nameEnd(offset);
        return new String(buffer.asSlice(start, end - start).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** The offset after the header just past the NUL that ends the name at {@code offset}. */
    int afterName(int offset) {
        return nameEnd(offset) + 1 - Fuse.IN_HEADER;
    }

    private int nameEnd(int offset) {
        for (int i = Fuse.IN_HEADER + offset; i < length; i++) {
            if (buffer.get(JAVA_BYTE, i) == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("a name in a FUSE request (opcode " + opcode() + ") without its NUL");
    }

    /** {@code size} bytes of data at {@code offset} after the header (a write's). */
    MemorySegment data(int offset, int size) {
        if (Fuse.IN_HEADER + offset + size > length) {
            throw new IllegalArgumentException("a FUSE write of " + size + " bytes in a request of " + length);
        }
        return buffer.asSlice(Fuse.IN_HEADER + offset, size);
    }
}
