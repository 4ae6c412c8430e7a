package dev.atomic.console;

import dev.atomic.bridge.Lane;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.system.SharedMemory;
import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A component's own lane segment, mapped a second time behind its host's back, with its normal request ring seen
 * two ways: as a {@link Lane} for well-formed frames, and raw (Agrona's ring over the bytes the protocol document
 * places it at) for records no honest producer writes.
 */
final class OwnLanes implements AutoCloseable {
    /** Writes a record's body in place. */
    interface Body {
        void write(MutableDirectBuffer b, int index);
    }

    private static final int PAGE = 4096;
    private static final int CRITICAL_CAPACITY = 32;
    private static final int NORMAL_CAPACITY = 36;
    /** The host lock's word: the first field of the mutex at offset 256. */
    private static final int HOST_LOCK_WORD = 256;

    final LaneSegment segment;
    final Lane lane;
    private final OneToOneRingBuffer ring;
    private final UnsafeBuffer whole;

    private OwnLanes(SharedMemory memory) {
        segment = LaneSegment.attach(memory);
        lane = segment.requests().lane(Priority.NORMAL);
        whole = new UnsafeBuffer(memory.segment().address(), Math.toIntExact(memory.size()));
        // Request rings start at 4096, critical first; each takes its capacity plus the trailer, page aligned.
        int at = PAGE + BitUtil.align(whole.getInt(CRITICAL_CAPACITY) + RingBufferDescriptor.TRAILER_LENGTH, PAGE);
        ring = new OneToOneRingBuffer(new UnsafeBuffer(whole, at,
                whole.getInt(NORMAL_CAPACITY) + RingBufferDescriptor.TRAILER_LENGTH));
    }

    /** The segment this process was started with: the argument after the host's class on its command line. */
    static OwnLanes map() throws IOException {
        List<String> args = Arrays.asList(new String(Files.readAllBytes(Path.of("/proc/self/cmdline")),
                StandardCharsets.UTF_8).split("\0"));
        int host = args.indexOf("dev.atomic.component.ComponentHost");
        if (host < 0 || host + 1 >= args.size()) {
            throw new IllegalStateException("not started by ComponentHost: " + args);
        }
        return new OwnLanes(SharedMemory.open(Path.of(args.get(host + 1))));
    }

    int slot() {
        return segment.slot();
    }

    /** Commits a record of {@code length} body bytes, whatever they say. */
    void raw(int type, int length, Body body) {
        int index = claim(type, length);
        body.write(ring.buffer(), index);
        ring.commit(index);
        segment.requests().doorbell().ring();
    }

    /** Commits a record whose length runs {@code overrun} bytes past the ring's end. */
    void pastTheEnd(int type, int overrun) {
        int record = claim(type, 0) - RecordDescriptor.HEADER_LENGTH;
        ring.buffer().putIntRelease(RecordDescriptor.lengthOffset(record), ring.capacity() - record + overrun);
        segment.requests().doorbell().ring();
    }

    /** Zeroes the host lock's word behind its host's back: the lock looks released, though nobody died. */
    void letGoOfHostLock() {
        whole.putIntVolatile(HOST_LOCK_WORD, 0);
    }

    private int claim(int type, int length) {
        int index = ring.tryClaim(type, length);
        if (index < 0) {
            throw new IllegalStateException("own request ring is full");
        }
        return index;
    }

    @Override
    public void close() {
        segment.close();
    }
}
