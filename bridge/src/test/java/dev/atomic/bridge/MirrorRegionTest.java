package dev.atomic.bridge;

import dev.atomic.system.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The state mirror's records: what a successor accepts, and every way one can be wrong. */
class MirrorRegionTest {
    private final ControlRegion control = ControlRegion.format(SharedMemory.create("mirror-test",
            ControlRegion.sizeFor(2, 0, 1, 4096)), 2, 0, 1, 4096, 1);
    private final MirrorRegion mirror = control.mirror();
    private final AtomicBuffer b = mirror.buffer();

    @AfterEach
    void close() {
        control.close();
    }

    @Test
    void aRecordReadsBackAsWritten() {
        mirror.reset(3);
        assertNull(mirror.checkHeader());
        write(MirrorRegion.MEMBER, 1, 42L);
        MirrorRegion.Record r = mirror.read(MirrorRegion.MEMBER, 1);
        assertEquals(MirrorRegion.Status.VALID, r.status());
        assertEquals(7, r.kind());
        assertEquals(8, r.length());
        assertEquals(3, r.generation());
        assertEquals(42L, b.getLong(r.body()));
        assertEquals(MirrorRegion.Status.EMPTY, mirror.read(MirrorRegion.MEMBER, 0).status());
        mirror.clear(MirrorRegion.MEMBER, 1);
        assertEquals(MirrorRegion.Status.EMPTY, mirror.read(MirrorRegion.MEMBER, 1).status());
    }

    @Test
    void aFlippedByteFailsTheChecksum() {
        mirror.reset(1);
        write(MirrorRegion.IN_FLIGHT, 17, 1234L);
        int body = mirror.offsetOf(MirrorRegion.IN_FLIGHT, 17) + MirrorRegion.RECORD_HEADER;
        b.putByte(body + 3, (byte) (b.getByte(body + 3) ^ 0x10));
        MirrorRegion.Record r = mirror.read(MirrorRegion.IN_FLIGHT, 17);
        assertEquals(MirrorRegion.Status.CORRUPT, r.status());
        assertEquals("in-flight record 17: it fails its checksum", r.why());
    }

    @Test
    void aLengthPastTheRecordIsCorrupt() {
        mirror.reset(1);
        write(MirrorRegion.LANE, 2, 5L);
        b.putInt(mirror.offsetOf(MirrorRegion.LANE, 2) + 8, 4096);
        MirrorRegion.Record r = mirror.read(MirrorRegion.LANE, 2);
        assertEquals(MirrorRegion.Status.CORRUPT, r.status());
        assertTrue(r.why().contains("its length 4096 does not fit its 64 bytes"), r.why());
        b.putInt(mirror.offsetOf(MirrorRegion.LANE, 2) + 8, -1);
        assertEquals(MirrorRegion.Status.CORRUPT, mirror.read(MirrorRegion.LANE, 2).status());
    }

    @Test
    void aRecordFromBeforeTheMirrorWasWrittenAfreshIsStale() {
        mirror.reset(1);
        write(MirrorRegion.MEMBER, 0, 9L);
        mirror.advance();
        assertEquals(MirrorRegion.Status.VALID, mirror.read(MirrorRegion.MEMBER, 0).status(),
                "a successor carries on with its predecessor's records");
        // A record of generation 1 in a mirror written afresh by generation 3 is a leftover, whatever its checksum.
        int at = mirror.offsetOf(MirrorRegion.MEMBER, 0);
        byte[] old = new byte[64];
        b.getBytes(at, old);
        mirror.reset(3);
        b.putBytes(at, old);
        MirrorRegion.Record r = mirror.read(MirrorRegion.MEMBER, 0);
        assertEquals(MirrorRegion.Status.CORRUPT, r.status());
        assertTrue(r.why().contains("stale generation 1"), r.why());
    }

    @Test
    void aRecordCopiedToAnotherPlaceIsCaught() {
        mirror.reset(1);
        write(MirrorRegion.MEMBER, 0, 9L);
        byte[] record = new byte[128];
        b.getBytes(mirror.offsetOf(MirrorRegion.MEMBER, 0), record);
        b.putBytes(mirror.offsetOf(MirrorRegion.MEMBER, 1), record);
        assertTrue(mirror.read(MirrorRegion.MEMBER, 1).why().contains("it says it is record 1"));
    }

    @Test
    void aRecordTheWriterDiedInIsTornNotCorrupt() {
        mirror.reset(1);
        int at = mirror.begin(MirrorRegion.IN_FLIGHT, 5);
        b.putLong(at, 77L); // and the writer dies before it commits
        assertEquals(MirrorRegion.Status.TORN, mirror.read(MirrorRegion.IN_FLIGHT, 5).status());
        assertEquals(MirrorRegion.Status.EMPTY, mirror.read(MirrorRegion.IN_FLIGHT, 6).status(),
                "its neighbour is untouched");
    }

    @Test
    void theHeaderSaysWhenTheMirrorCannotBeRead() {
        assertEquals("no Engine wrote it", mirror.checkHeader());
        mirror.reset(2);
        assertNull(mirror.checkHeader());
        mirror.markIncomplete(true);
        assertEquals("it is incomplete: some state did not fit", mirror.checkHeader());
        mirror.markIncomplete(false);
        assertNull(mirror.checkHeader());
        b.putByte(mirror.offsetOf(MirrorRegion.STATIC, 0) - 64 + 25, (byte) 9); // the generation
        assertEquals("its header fails its checksum", mirror.checkHeader());
    }

    @Test
    void aRecordMustFitItsArea() {
        mirror.reset(1);
        mirror.begin(MirrorRegion.FAST_PATH, 0);
        assertThrows(IllegalArgumentException.class, () -> mirror.commit(MirrorRegion.FAST_PATH, 0, 1, 41));
        assertThrows(IllegalArgumentException.class, () -> mirror.commit(MirrorRegion.FAST_PATH, 0, 0, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> mirror.begin(MirrorRegion.FAST_PATH, 1));
    }

    private void write(int area, int i, long value) {
        int at = mirror.begin(area, i);
        b.putLong(at, value);
        mirror.commit(area, i, 7, 8);
    }
}
