package dev.atomic.system.tpm;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A TPM 2.0 command being marshalled: big-endian, header first, size filled in at the end (Part 1, 18.2). */
final class TpmCommand {
    static final short ST_NO_SESSIONS = (short) 0x8001;
    static final short ST_SESSIONS = (short) 0x8002;

    private final ByteBuffer buffer = ByteBuffer.allocate(TpmResponse.MAX_SIZE);

    TpmCommand(short tag, int commandCode) {
        buffer.putShort(tag).putInt(0).putInt(commandCode);
    }

    TpmCommand u8(int value) {
        buffer.put((byte) value);
        return this;
    }

    TpmCommand u16(int value) {
        buffer.putShort((short) value);
        return this;
    }

    TpmCommand u32(int value) {
        buffer.putInt(value);
        return this;
    }

    TpmCommand bytes(byte[] value) {
        buffer.put(value);
        return this;
    }

    byte[] bytes() {
        buffer.putInt(2, buffer.position());
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
