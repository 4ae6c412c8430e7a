package dev.atomic.drivers.input;

import java.nio.ByteBuffer;

/**
 * One key press as it crosses the bridge: its sequence number in the driver's run (0 after each start), the key, and
 * when the driver read it (System.nanoTime: the host's monotonic clock, which every process on the host shares).
 */
public record KeyEvent(long sequence, int key, long readNanos) {
    static final int BYTES = 20;

    byte[] encode() {
        return ByteBuffer.allocate(BYTES).putLong(sequence).putInt(key).putLong(readNanos).array();
    }

    /** The event, or null when the bytes are not one. */
    static KeyEvent decode(byte[] bytes) {
        if (bytes.length != BYTES) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new KeyEvent(b.getLong(), b.getInt(), b.getLong());
    }
}
