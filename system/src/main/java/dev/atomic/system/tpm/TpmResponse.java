package dev.atomic.system.tpm;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/** A TPM 2.0 response being unmarshalled; anything short or inconsistent is an {@link IOException} naming the command. */
final class TpmResponse {
    static final int HEADER_SIZE = 10;
    /** The kernel's TPM buffer (TPM_BUFSIZE); no response to the commands used here comes near it. */
    static final int MAX_SIZE = 4096;

    private final String command;
    private final ByteBuffer buffer;
    private final short tag;
    private final int code;

    TpmResponse(String command, byte[] bytes) throws IOException {
        this.command = command;
        if (bytes.length < HEADER_SIZE) {
            throw malformed("only " + bytes.length + " bytes, less than a header");
        }
        buffer = ByteBuffer.wrap(bytes);
        tag = buffer.getShort();
        int size = buffer.getInt();
        code = buffer.getInt();
        if (size != bytes.length) {
            throw malformed("its header says " + size + " bytes, " + bytes.length + " came");
        }
        if (tag != TpmCommand.ST_NO_SESSIONS && tag != TpmCommand.ST_SESSIONS) {
            throw malformed(String.format("tag 0x%04x is neither TPM_ST_NO_SESSIONS nor TPM_ST_SESSIONS", tag));
        }
    }

    /** Throws {@link TpmException} unless the TPM answered TPM_RC_SUCCESS. */
    TpmResponse succeeded() throws TpmException {
        if (code != 0) {
            throw new TpmException(command, code);
        }
        return this;
    }

    short tag() {
        return tag;
    }

    int u8() throws IOException {
        return read(() -> buffer.get() & 0xFF);
    }

    int u16() throws IOException {
        return read(() -> buffer.getShort() & 0xFFFF);
    }

    int u32() throws IOException {
        return read(buffer::getInt);
    }

    byte[] bytes(int length) throws IOException {
        return read(() -> {
            byte[] b = new byte[length];
            buffer.get(b);
            return b;
        });
    }

    IOException malformed(String why) {
        return new IOException("malformed TPM response to " + command + ": " + why);
    }

    private interface Field<T> {
        T get();
    }

    private <T> T read(Field<T> field) throws IOException {
        try {
            return field.get();
        } catch (BufferUnderflowException e) {
            throw malformed("it ends early, at byte " + buffer.position());
        }
    }
}
