package dev.atomic.bridge;

import org.agrona.concurrent.AtomicBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The Engine's state mirror: checksummed records in the Sovereign's control region (which no component maps), kept
 * by the active Engine as its state changes and read by the Engine that takes over from it. The region holds records
 * only; what they mean is the Engine's business (see docs/bridge-protocol.md, "The state mirror").
 * <pre>
 *   header, 64 bytes:
 *     +0  u64 magic "ATOMMIR1"          +8  i32 version 1
 *     +12 i32 slots S                   +16 i32 fast paths F         +20 i32 in-flight capacity C
 *     +24 i64 generation G: bumped by every Engine that takes the mirror over (0: no Engine has written it yet)
 *     +32 i64 base generation B: the generation that last wrote the mirror afresh
 *     +40 i32 incomplete: 1 when some state did not fit (such a mirror cannot be trusted)
 *     +44 u32 CRC32C of bytes 0 to 43
 *     +48 i32 writing: 1 + the number of the record being written, 0 when none; outside the checksum
 *   then the records, numbered in this order, each of a fixed size per area:
 *     the static record (8 KiB), S member records (160 B), F fast path records (64 B), 3S + 1 lane records (64 B),
 *     C in-flight records (128 B)
 *   a record:
 *     +0  u32 CRC32C of bytes 4 to 24 + length
 *     +4  i32 kind (never 0 in a written record)   +8 i32 length of the body   +12 i32 number: the record's own
 *     +16 i64 generation of the Engine that wrote it
 *     +24 body
 *   A record that is zero throughout is empty. A writer marks the record it writes in the header's writing word
 *   first and clears it after the checksum: a record a writer died in is told apart from a corrupt one.
 * </pre>
 */
public final class MirrorRegion {
    public static final int STATIC = 0;
    public static final int MEMBER = 1;
    public static final int FAST_PATH = 2;
    public static final int LANE = 3;
    public static final int IN_FLIGHT = 4;
    /** Requests in flight the mirror holds; one more marks it incomplete. */
    public static final int IN_FLIGHT_CAPACITY = 4096;
    public static final int RECORD_HEADER = 24;
    private static final int[] SIZE = {8192, 160, 64, 64, 128};
    private static final String[] AREA = {"static", "member", "fast path", "lane", "in-flight"};
    private static final long MAGIC = 0x3152494D4D4F5441L; // "ATOMMIR1" little-endian
    private static final int VERSION = 2;
    private static final int HEADER = 64;
    private static final int SLOTS = 12;
    private static final int FAST_PATHS = 16;
    private static final int CAPACITY = 20;
    private static final int GENERATION = 24;
    private static final int BASE = 32;
    private static final int INCOMPLETE = 40;
    private static final int HEADER_CRC = 44;
    private static final int WRITING = 48;

    /** What reading a record found. */
    public enum Status { EMPTY, VALID, TORN, CORRUPT }

    /**
     * A record as read: its body starts at {@code body} in {@link #buffer()}.
     *
     * @param why for a corrupt record, what is wrong with it
     */
    public record Record(Status status, int kind, int length, long generation, int body, String why) {
    }

    private final AtomicBuffer buffer;
    private final ByteBuffer bytes;
    private final CRC32C crc = new CRC32C();
    private final int base;
    private final int[] count = new int[SIZE.length];
    private final int[] first = new int[SIZE.length];
    private final int[] offset = new int[SIZE.length];

    /**
     * @param buffer the whole shared segment; {@code bytes} the same memory as a direct buffer (for the checksums)
     * @param base   where the mirror starts in both
     */
    MirrorRegion(AtomicBuffer buffer, ByteBuffer bytes, int base, int slots, int fastPaths) {
        this.buffer = buffer;
        this.bytes = bytes;
        this.base = base;
        int[] counts = {1, slots, fastPaths, 3 * slots + 1, IN_FLIGHT_CAPACITY};
        int at = base + HEADER;
        int number = 0;
        for (int area = 0; area < SIZE.length; area++) {
            count[area] = counts[area];
            first[area] = number;
            offset[area] = at;
            number += counts[area];
            at += counts[area] * SIZE[area];
        }
    }

    public static long sizeFor(int slots, int fastPaths) {
        return HEADER + SIZE[STATIC] + (long) slots * SIZE[MEMBER] + (long) fastPaths * SIZE[FAST_PATH]
                + (3L * slots + 1) * SIZE[LANE] + (long) IN_FLIGHT_CAPACITY * SIZE[IN_FLIGHT];
    }

    /** Sovereign side, on zeroed memory: the dimensions; generation 0, no record written. */
    void format() {
        buffer.putLong(base, MAGIC);
        buffer.putInt(base + 8, VERSION);
        buffer.putInt(base + SLOTS, count[MEMBER]);
        buffer.putInt(base + FAST_PATHS, count[FAST_PATH]);
        buffer.putInt(base + CAPACITY, IN_FLIGHT_CAPACITY);
        sealHeader();
    }

    public AtomicBuffer buffer() {
        return buffer;
    }

    public int count(int area) {
        return count[area];
    }

    /** The most body a record of this area holds. */
    public int bodyCapacity(int area) {
        return SIZE[area] - RECORD_HEADER;
    }

    public long generation() {
        return buffer.getLongVolatile(base + GENERATION);
    }

    public long baseGeneration() {
        return buffer.getLong(base + BASE);
    }

    public boolean incomplete() {
        return buffer.getInt(base + INCOMPLETE) != 0;
    }

    /** Engine side: every record emptied, generation and base set to {@code generation}: a mirror written afresh. */
    public void reset(long generation) {
        buffer.setMemory(base + HEADER, (int) (sizeFor(count[MEMBER], count[FAST_PATH]) - HEADER), (byte) 0);
        buffer.putLong(base + GENERATION, generation);
        buffer.putLong(base + BASE, generation);
        buffer.putInt(base + INCOMPLETE, 0);
        buffer.putInt(base + WRITING, 0);
        sealHeader();
    }

    /** Engine side: a new Engine carries on with the records it found valid; what it writes from now on is its own. */
    public void advance() {
        buffer.putLong(base + GENERATION, generation() + 1);
        sealHeader();
    }

    /** Engine side: some state did not fit (a successor must not trust the mirror), or fits again. */
    public void markIncomplete(boolean incomplete) {
        buffer.putInt(base + INCOMPLETE, incomplete ? 1 : 0);
        sealHeader();
    }

    /**
     * Engine side: starts writing record {@code i} of {@code area}; returns where its body goes in {@link #buffer()}.
     * Finish with {@link #commit}.
     */
    public int begin(int area, int i) {
        buffer.putIntRelease(base + WRITING, number(area, i) + 1);
        return at(area, i) + RECORD_HEADER;
    }

    /** Seals the record begun: its header and checksum, and the header's writing word cleared. */
    public void commit(int area, int i, int kind, int length) {
        if (kind == 0 || length < 0 || length > bodyCapacity(area)) {
            throw new IllegalArgumentException("record of kind " + kind + " and " + length + " bytes in the "
                    + AREA[area] + " area");
        }
        int at = at(area, i);
        buffer.putInt(at + 4, kind);
        buffer.putInt(at + 8, length);
        buffer.putInt(at + 12, number(area, i));
        buffer.putLong(at + 16, generation());
        buffer.putInt(at, crc(at + 4, RECORD_HEADER - 4 + length));
        buffer.putIntRelease(base + WRITING, 0);
    }

    /** Engine side: empties a record. */
    public void clear(int area, int i) {
        buffer.putIntRelease(base + WRITING, number(area, i) + 1);
        buffer.setMemory(at(area, i), SIZE[area], (byte) 0);
        buffer.putIntRelease(base + WRITING, 0);
    }

    /**
     * Checks the header against the dimensions the reader expects; null when it may be read, else why not.
     */
    public String checkHeader() {
        if (buffer.getLong(base) != MAGIC || buffer.getInt(base + 8) != VERSION) {
            return "not a version " + VERSION + " state mirror";
        }
        if (buffer.getInt(base + HEADER_CRC) != crc(base, HEADER_CRC)) {
            return "its header fails its checksum";
        }
        if (buffer.getInt(base + SLOTS) != count[MEMBER] || buffer.getInt(base + FAST_PATHS) != count[FAST_PATH]
                || buffer.getInt(base + CAPACITY) != IN_FLIGHT_CAPACITY) {
            return "it is laid out for another system";
        }
        long generation = generation();
        if (generation == 0) {
            return "no Engine wrote it";
        }
        if (baseGeneration() < 1 || baseGeneration() > generation) {
            return "its base generation " + baseGeneration() + " is not within 1 to " + generation;
        }
        if (incomplete()) {
            return "it is incomplete: some state did not fit";
        }
        return null;
    }

    /** Reads and checks record {@code i} of {@code area}. */
    public Record read(int area, int i) {
        int at = at(area, i);
        int number = number(area, i);
        boolean torn = buffer.getIntVolatile(base + WRITING) == number + 1;
        int kind = buffer.getInt(at + 4);
        int length = buffer.getInt(at + 8);
        long generation = buffer.getLong(at + 16);
        if (zero(at, SIZE[area])) {
            return new Record(Status.EMPTY, 0, 0, 0, at + RECORD_HEADER, null);
        }
        String why = kind == 0 ? "no kind, yet not empty"
                : length < 0 || length > bodyCapacity(area) ? "its length " + length + " does not fit its "
                + SIZE[area] + " bytes"
                : buffer.getInt(at + 12) != number ? "it says it is record " + buffer.getInt(at + 12)
                : buffer.getInt(at) != crc(at + 4, RECORD_HEADER - 4 + length) ? "it fails its checksum"
                : generation < baseGeneration() || generation > generation()
                ? "stale generation " + generation + " (the mirror's records are of " + baseGeneration() + " to "
                + generation() + ")"
                : null;
        if (why != null) {
            return new Record(torn ? Status.TORN : Status.CORRUPT, kind, length, generation, at + RECORD_HEADER,
                    torn ? null : AREA[area] + " record " + i + ": " + why);
        }
        return new Record(Status.VALID, kind, length, generation, at + RECORD_HEADER, null);
    }

    /** A record's place, for tests that damage one on purpose. */
    public int offsetOf(int area, int i) {
        return at(area, i);
    }

    private int at(int area, int i) {
        if (i < 0 || i >= count[area]) {
            throw new IndexOutOfBoundsException(AREA[area] + " record " + i + " of " + count[area]);
        }
        return offset[area] + i * SIZE[area];
    }

    private int number(int area, int i) {
        return first[area] + i;
    }

    private boolean zero(int at, int length) {
        for (int i = 0; i < length; i += 8) {
            if (buffer.getLong(at + i) != 0) {
                return false;
            }
        }
        return true;
    }

    private void sealHeader() {
        buffer.putInt(base + HEADER_CRC, crc(base, HEADER_CRC));
    }

    private int crc(int at, int length) {
        crc.reset();
        bytes.clear();
        bytes.limit(at + length).position(at);
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
