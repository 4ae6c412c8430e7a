package dev.atomic.bridge;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The consumer side of an Agrona one-to-one ring, hardened against its producer. Agrona's own reader trusts the
 * record lengths a producer wrote — right between threads of one program, wrong when the producer is a component
 * Atomic must survive: a length past the ring's end would make it read, and then zero, the ring's trailer.
 * This reader checks every record before touching it and reports a ring it cannot trust as {@link Corrupt}.
 */
final class LaneReader {
    private final AtomicBuffer buffer;
    private final int capacity;
    private final int headPositionIndex;

    LaneReader(AtomicBuffer buffer) {
        this.buffer = buffer;
        this.capacity = buffer.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
        this.headPositionIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
    }

    /**
     * Reads up to {@code limit} records. Each record's space is released (zeroed, head advanced) as soon as its
     * handler returns, not at the end of the batch: a handler that answers at once lets its peer's next frame in
     * while the batch goes on, and a lap of large frames would otherwise find the ring still full.
     */
    int read(MessageHandler handler, int limit) {
        long head = buffer.getLong(headPositionIndex);
        int headIndex = (int) head & (capacity - 1);
        int block = capacity - headIndex;
        int bytesRead = 0;
        int count = 0;
        while (bytesRead < block && count < limit) {
            int index = headIndex + bytesRead;
            int length = buffer.getIntVolatile(RecordDescriptor.lengthOffset(index));
            if (length <= 0) {
                break; // not committed yet
            }
            int aligned = BitUtil.align(length, RecordDescriptor.ALIGNMENT);
            if (length < RecordDescriptor.HEADER_LENGTH || aligned > capacity - index) {
                // The good records before it are released already; the caller resets the ring, producer stopped.
                throw new LaneCorruptException("record of " + length + " bytes at index " + index
                        + " runs past the ring's end (" + capacity + " bytes)");
            }
            // Padding may stand anywhere: at the end before a wrap, or mid-ring where a claim was aborted.
            int type = buffer.getInt(RecordDescriptor.typeOffset(index));
            try {
                if (type != RingBuffer.PADDING_MSG_TYPE_ID) {
                    count++;
                    handler.onMessage(type, buffer, index + RecordDescriptor.HEADER_LENGTH,
                            length - RecordDescriptor.HEADER_LENGTH);
                }
            } finally {
                buffer.setMemory(index, aligned, (byte) 0);
                bytesRead += aligned;
                buffer.putLongRelease(headPositionIndex, head + bytesRead);
            }
        }
        return count;
    }

    /** True when a committed record is waiting at the head. */
    boolean hasRecord() {
        long head = buffer.getLongVolatile(headPositionIndex);
        return buffer.getIntVolatile(RecordDescriptor.lengthOffset((int) head & (capacity - 1))) > 0;
    }
}
