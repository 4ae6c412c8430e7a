package dev.atomic.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The payload of a frame flagged {@link Frame#FLAG_POOL}: where in a granted pool the data lies.
 * <pre>
 *   0 int  pool     pool id
 *   4 int  length   bytes
 *   8 long offset   from the start of the pool's data area
 * </pre>
 */
public final class PoolRef {
    public static final int LENGTH = 16;

    private PoolRef() {
    }

    public static void write(MutableDirectBuffer b, int offset, int pool, long dataOffset, int length) {
        b.putInt(offset, pool);
        b.putInt(offset + 4, length);
        b.putLong(offset + 8, dataOffset);
    }

    public static int pool(DirectBuffer b, int offset) {
        return b.getInt(offset);
    }

    public static int length(DirectBuffer b, int offset) {
        return b.getInt(offset + 4);
    }

    public static long offset(DirectBuffer b, int offset) {
        return b.getLong(offset + 8);
    }
}
