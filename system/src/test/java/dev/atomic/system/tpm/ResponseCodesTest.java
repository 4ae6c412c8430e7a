package dev.atomic.system.tpm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResponseCodesTest {
    @Test
    void formatOneCodesNameTheHandleSessionOrParameter() {
        assertEquals("TPM_RC_VALUE, handle 1: value is out of range or not correct for the context",
                ResponseCodes.describe(0x184));
        assertEquals("TPM_RC_SIZE, parameter 2: structure is the wrong size", ResponseCodes.describe(0x2D5));
        assertEquals("TPM_RC_AUTH_FAIL, session 1: the authorization HMAC check failed (dictionary-attack counter"
                + " incremented)", ResponseCodes.describe(0x98E));
    }

    @Test
    void formatZeroErrorsAndWarnings() {
        assertEquals("TPM_RC_FAILURE: the TPM is in failure mode and accepts no commands", ResponseCodes.describe(0x101));
        assertEquals("TPM_RC_RETRY (warning): the TPM could not start the command; retry it",
                ResponseCodes.describe(0x922));
        assertEquals("TPM_RC_REFERENCE_H0: handle 1 refers to a transient object or session that is not loaded",
                ResponseCodes.describe(0x910));
        assertEquals("TPM_RC_BAD_TAG: the command's tag is not a TPM 2.0 tag", ResponseCodes.describe(0x1E));
        assertEquals("vendor-defined response code 5", ResponseCodes.describe(0x505));
        assertEquals("an unknown response code", ResponseCodes.describe(0x17F));
    }

    @Test
    void aCodeFromTheKernelsResourceManagerSaysItDidNotComeFromTheTpm() {
        assertEquals("TPM_RC_COMMAND_CODE: command code not supported; answered by the kernel's TPM resource"
                + " manager, not the TPM", ResponseCodes.describe(0xB0143));
    }
}
