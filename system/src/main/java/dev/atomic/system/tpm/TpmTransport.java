package dev.atomic.system.tpm;

import java.io.Closeable;
import java.io.IOException;

/** Carries one TPM 2.0 command to a TPM and brings back its whole response. */
public interface TpmTransport extends Closeable {
    /** Sends a complete command (header included) and returns the complete response. */
    byte[] transact(byte[] command) throws IOException;
}
