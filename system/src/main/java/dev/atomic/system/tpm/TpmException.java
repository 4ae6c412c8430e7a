package dev.atomic.system.tpm;

import java.io.IOException;

/**
 * The TPM answered a command with an error response code, e.g.
 * {@code TPM refused PCR_Extend: rc 0x184 (TPM_RC_VALUE, handle 1: value is out of range or not correct for the context)}.
 */
public final class TpmException extends IOException {
    private final String command;
    private final int responseCode;

    TpmException(String command, int responseCode) {
        super("TPM refused " + command + ": rc 0x" + Integer.toHexString(responseCode) + " ("
                + ResponseCodes.describe(responseCode) + ")");
        this.command = command;
        this.responseCode = responseCode;
    }

    /** The command's name without its TPM2_ prefix: "PCR_Extend". */
    public String command() {
        return command;
    }

    public int responseCode() {
        return responseCode;
    }
}
