package dev.atomic.bridge;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The frame header that starts every ring record, little-endian, 40 bytes, then the payload.
 * <pre>
 *   0  int   source       slot of the sender; the Engine stamps it from the lane a frame arrived on
 *   4  int   target       REQUEST: service id; REPLY/ERROR: requester slot; admin frames: slot
 *   8  int   method       service method number
 *  12  int   status       0 = ok; ERROR: an error code; admin frames: generation
 *  16  long  correlation  chosen by the requester, echoed in the REPLY/ERROR
 *  24  long  deadline     CLOCK_MONOTONIC nanoseconds (System.nanoTime on Linux); 0 = none
 *  32  int   length       payload bytes that follow the header
 *  36  byte  lane         the lane class ({@link Priority} ordinal) the frame travels in
 *  37  byte  version      1
 *  38  short flags        {@link #FLAG_POOL}, {@link #FLAG_IDEMPOTENT}, {@link #FLAG_ASYNC}
 *  40  ...   payload
 * </pre>
 * Static accessors over a buffer and an offset, as Agrona flyweights do, so the hot path allocates nothing.
 */
public final class Frame {
    public static final int SOURCE = 0;
    public static final int TARGET = 4;
    public static final int METHOD = 8;
    public static final int STATUS = 12;
    public static final int CORRELATION = 16;
    public static final int DEADLINE = 24;
    public static final int LENGTH = 32;
    public static final int LANE = 36;
    public static final int VERSION = 37;
    public static final int FLAGS = 38;
    public static final int HEADER_LENGTH = 40;
    public static final int CURRENT_VERSION = 1;

    /** The payload is a pool reference: the data is in a buffer pool granted to both peers, read in place. */
    public static final int FLAG_POOL = 1;
    /** The method may be replayed safely after a provider crash. */
    public static final int FLAG_IDEMPOTENT = 2;
    /**
     * An order: the caller does not block on the answer, which reaches it later as a message. The only way a
     * component may call down into a lower kernel (docs/bridge-protocol.md, strict layering).
     */
    public static final int FLAG_ASYNC = 4;
    static final int KNOWN_FLAGS = FLAG_POOL | FLAG_IDEMPOTENT | FLAG_ASYNC;

    private Frame() {
    }

    /** Writes a header; the payload, if any, goes at {@code offset + HEADER_LENGTH}. */
    public static void header(MutableDirectBuffer b, int offset, int source, int target, int method, int status,
                              long correlation, long deadline, int payloadLength, int lane, int flags) {
        b.putInt(offset + SOURCE, source);
        b.putInt(offset + TARGET, target);
        b.putInt(offset + METHOD, method);
        b.putInt(offset + STATUS, status);
        b.putLong(offset + CORRELATION, correlation);
        b.putLong(offset + DEADLINE, deadline);
        b.putInt(offset + LENGTH, payloadLength);
        b.putByte(offset + LANE, (byte) lane);
        b.putByte(offset + VERSION, (byte) CURRENT_VERSION);
        b.putShort(offset + FLAGS, (short) flags);
    }

    public static int lane(DirectBuffer b, int offset) {
        return b.getByte(offset + LANE);
    }

    public static int flags(DirectBuffer b, int offset) {
        return b.getShort(offset + FLAGS) & 0xFFFF;
    }

    public static int source(DirectBuffer b, int offset) {
        return b.getInt(offset + SOURCE);
    }

    public static int target(DirectBuffer b, int offset) {
        return b.getInt(offset + TARGET);
    }

    public static int method(DirectBuffer b, int offset) {
        return b.getInt(offset + METHOD);
    }

    public static int status(DirectBuffer b, int offset) {
        return b.getInt(offset + STATUS);
    }

    public static long correlation(DirectBuffer b, int offset) {
        return b.getLong(offset + CORRELATION);
    }

    public static long deadline(DirectBuffer b, int offset) {
        return b.getLong(offset + DEADLINE);
    }

    public static int payloadLength(DirectBuffer b, int offset) {
        return b.getInt(offset + LENGTH);
    }

    /**
     * Why a record of {@code recordLength} bytes is not a well-formed frame, or null when it is.
     * Readers never trust the declared payload length: a peer may lie about it.
     */
    public static String malformed(DirectBuffer b, int offset, int recordLength) {
        if (recordLength < HEADER_LENGTH) {
            return "frame of " + recordLength + " bytes is shorter than the " + HEADER_LENGTH + "-byte header";
        }
        int declared = payloadLength(b, offset);
        if (declared < 0 || declared != recordLength - HEADER_LENGTH) {
            return "frame declares " + declared + " payload bytes but carries " + (recordLength - HEADER_LENGTH);
        }
        if (b.getByte(offset + VERSION) != CURRENT_VERSION) {
            return "frame version " + b.getByte(offset + VERSION) + " (this Engine speaks " + CURRENT_VERSION + ")";
        }
        if ((flags(b, offset) & ~KNOWN_FLAGS) != 0) {
            return "unknown flags 0x" + Integer.toHexString(flags(b, offset));
        }
        return null;
    }

    public static String payloadText(DirectBuffer b, int offset) {
        return b.getStringWithoutLengthUtf8(offset + HEADER_LENGTH, payloadLength(b, offset));
    }

    public static byte[] payloadBytes(DirectBuffer b, int offset) {
        byte[] bytes = new byte[payloadLength(b, offset)];
        b.getBytes(offset + HEADER_LENGTH, bytes);
        return bytes;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
