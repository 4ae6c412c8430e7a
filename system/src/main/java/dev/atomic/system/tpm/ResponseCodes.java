package dev.atomic.system.tpm;

import java.util.Map;

/**
 * Names and meanings of TPM 2.0 response codes (TPM 2.0 Part 2, 6.6). Bit 7 set is format 1: an error about one
 * handle, session or parameter, numbered in bits 8-11. Otherwise format 0: bit 8 marks a TPM 2.0 code, bit 10 a
 * vendor's, bit 11 a warning. Bits 16-23 name the software layer that answered instead of the TPM.
 */
final class ResponseCodes {
    private static final int FMT1 = 0x080;
    private static final int VER1 = 0x100;
    private static final int VENDOR = 0x400;
    private static final int WARN = 0x800;

    /** Format 1, by bits 0-5. */
    private static final Map<Integer, String> FORMAT_ONE = Map.ofEntries(
            Map.entry(0x01, "ASYMMETRIC: asymmetric algorithm not supported or not correct"),
            Map.entry(0x02, "ATTRIBUTES: inconsistent attributes"),
            Map.entry(0x03, "HASH: hash algorithm not supported or not appropriate"),
            Map.entry(0x04, "VALUE: value is out of range or not correct for the context"),
            Map.entry(0x05, "HIERARCHY: hierarchy is not enabled or not correct for the use"),
            Map.entry(0x07, "KEY_SIZE: key size is not supported"),
            Map.entry(0x08, "MGF: mask generation function not supported"),
            Map.entry(0x09, "MODE: mode of operation not supported"),
            Map.entry(0x0A, "TYPE: the type of the value is not appropriate for the use"),
            Map.entry(0x0B, "HANDLE: the handle is not correct for the use"),
            Map.entry(0x0C, "KDF: key derivation function not supported or not appropriate"),
            Map.entry(0x0D, "RANGE: value was out of the allowed range"),
            Map.entry(0x0E, "AUTH_FAIL: the authorization HMAC check failed (dictionary-attack counter incremented)"),
            Map.entry(0x0F, "NONCE: invalid nonce size or nonce value mismatch"),
            Map.entry(0x10, "PP: authorization requires assertion of physical presence"),
            Map.entry(0x12, "SCHEME: unsupported or incompatible scheme"),
            Map.entry(0x15, "SIZE: structure is the wrong size"),
            Map.entry(0x16, "SYMMETRIC: unsupported symmetric algorithm or key size"),
            Map.entry(0x17, "TAG: incorrect structure tag"),
            Map.entry(0x18, "SELECTOR: union selector is incorrect"),
            Map.entry(0x1A, "INSUFFICIENT: the command ended before a value could be unmarshalled"),
            Map.entry(0x1B, "SIGNATURE: the signature is not valid"),
            Map.entry(0x1C, "KEY: key fields are not compatible with the selected use"),
            Map.entry(0x1D, "POLICY_FAIL: a policy check failed"),
            Map.entry(0x1F, "INTEGRITY: integrity check failed"),
            Map.entry(0x20, "TICKET: invalid ticket"),
            Map.entry(0x21, "RESERVED_BITS: reserved bits not set to zero as required"),
            Map.entry(0x22, "BAD_AUTH: authorization failure without dictionary-attack implications"),
            Map.entry(0x23, "EXPIRED: the policy has expired"),
            Map.entry(0x24, "POLICY_CC: the command code in the policy is not this command's"),
            Map.entry(0x25, "BINDING: public and sensitive portions of an object are not cryptographically bound"),
            Map.entry(0x26, "CURVE: curve not supported"),
            Map.entry(0x27, "ECC_POINT: point is not on the required curve"));

    /** Format 0 errors, by bits 0-6. */
    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(0x00, "INITIALIZE: TPM not initialized by TPM2_Startup, or already initialized"),
            Map.entry(0x01, "FAILURE: the TPM is in failure mode and accepts no commands"),
            Map.entry(0x03, "SEQUENCE: improper use of a sequence handle"),
            Map.entry(0x20, "DISABLED: the command is disabled"),
            Map.entry(0x21, "EXCLUSIVE: an audit sequence required exclusivity"),
            Map.entry(0x24, "AUTH_TYPE: authorization handle is not correct for the command"),
            Map.entry(0x25, "AUTH_MISSING: the command needs an authorization session for a handle and has none"),
            Map.entry(0x26, "POLICY: policy failure in a math operation, or an invalid authPolicy"),
            Map.entry(0x27, "PCR: PCR check failed"),
            Map.entry(0x28, "PCR_CHANGED: PCRs have changed since checked"),
            Map.entry(0x2D, "UPGRADE: the TPM is in field upgrade mode"),
            Map.entry(0x2E, "TOO_MANY_CONTEXTS: context ID counter is at its maximum"),
            Map.entry(0x2F, "AUTH_UNAVAILABLE: authValue or authPolicy is not available for the entity"),
            Map.entry(0x30, "REBOOT: a _TPM_Init and Startup(CLEAR) is needed before the TPM can resume"),
            Map.entry(0x31, "UNBALANCED: the protection algorithms are not reasonably balanced"),
            Map.entry(0x42, "COMMAND_SIZE: commandSize is inconsistent with the command's contents"),
            Map.entry(0x43, "COMMAND_CODE: command code not supported"),
            Map.entry(0x44, "AUTHSIZE: authorizationSize is out of range"),
            Map.entry(0x45, "AUTH_CONTEXT: an authorization session with a command that cannot have one"),
            Map.entry(0x46, "NV_RANGE: NV offset + size is out of range"),
            Map.entry(0x47, "NV_SIZE: requested allocation size is larger than allowed"),
            Map.entry(0x48, "NV_LOCKED: NV access locked"),
            Map.entry(0x49, "NV_AUTHORIZATION: NV access authorization failed"),
            Map.entry(0x4A, "NV_UNINITIALIZED: an NV index is used before it was written"),
            Map.entry(0x4B, "NV_SPACE: insufficient space for NV allocation"),
            Map.entry(0x4C, "NV_DEFINED: NV index or persistent object already defined"),
            Map.entry(0x50, "BAD_CONTEXT: context in TPM2_ContextLoad is not valid"),
            Map.entry(0x51, "CPHASH: cpHash value already set or not correct for use"),
            Map.entry(0x52, "PARENT: handle for parent is not a valid parent"),
            Map.entry(0x53, "NEEDS_TEST: some function needs testing"),
            Map.entry(0x54, "NO_RESULT: an internal function could not process the request"),
            Map.entry(0x55, "SENSITIVE: the sensitive area did not unmarshal correctly after decryption"));

    /** Format 0 warnings, by bits 0-6; handle and session references are named in {@link #warning}. */
    private static final Map<Integer, String> WARNINGS = Map.ofEntries(
            Map.entry(0x01, "CONTEXT_GAP: gap for context ID is too large"),
            Map.entry(0x02, "OBJECT_MEMORY: out of memory for object contexts"),
            Map.entry(0x03, "SESSION_MEMORY: out of memory for session contexts"),
            Map.entry(0x04, "MEMORY: out of shared object/session memory"),
            Map.entry(0x05, "SESSION_HANDLES: out of session handles"),
            Map.entry(0x06, "OBJECT_HANDLES: out of object handles"),
            Map.entry(0x07, "LOCALITY: bad locality"),
            Map.entry(0x08, "YIELDED: the TPM suspended the command; retry it"),
            Map.entry(0x09, "CANCELED: the command was canceled"),
            Map.entry(0x0A, "TESTING: the TPM is running its self-tests"),
            Map.entry(0x20, "NV_RATE: the TPM is rate-limiting NV writes to prevent wear"),
            Map.entry(0x21, "LOCKOUT: the TPM is in dictionary-attack lockout"),
            Map.entry(0x22, "RETRY: the TPM could not start the command; retry it"),
            Map.entry(0x23, "NV_UNAVAILABLE: the command may need to write NV, and NV is not accessible"));

    private ResponseCodes() {
    }

    /** "TPM_RC_VALUE, handle 1: value is out of range or not correct for the context". */
    static String describe(int rc) {
        int layer = rc >>> 16;
        String text = tpm(rc & 0xFFFF);
        if (layer == 0) {
            return text;
        }
        return text + "; answered by " + (layer == 0x0B ? "the kernel's TPM resource manager" : "software layer "
                + layer) + ", not the TPM";
    }

    private static String tpm(int rc) {
        if (rc == 0) {
            return "TPM_RC_SUCCESS";
        }
        if ((rc & FMT1) != 0) {
            String where = (rc & 0x40) != 0 ? "parameter " + ((rc >> 8) & 0xF)
                    : (rc & 0x800) != 0 ? "session " + ((rc >> 8) & 0x7) : "handle " + ((rc >> 8) & 0x7);
            return named(FORMAT_ONE.get(rc & 0x3F), ", " + where);
        }
        if ((rc & VER1) == 0) {
            return rc == 0x1E ? "TPM_RC_BAD_TAG: the command's tag is not a TPM 2.0 tag" : "a TPM 1.2 response code";
        }
        if ((rc & VENDOR) != 0) {
            return "vendor-defined response code " + (rc & 0x7F);
        }
        return (rc & WARN) != 0 ? warning(rc & 0x7F) : named(ERRORS.get(rc & 0x7F), "");
    }

    private static String warning(int number) {
        if (number >= 0x10 && number <= 0x16) {
            return "TPM_RC_REFERENCE_H" + (number - 0x10) + ": handle " + (number - 0x10 + 1)
                    + " refers to a transient object or session that is not loaded";
        }
        if (number >= 0x18 && number <= 0x1E) {
            return "TPM_RC_REFERENCE_S" + (number - 0x18) + ": session " + (number - 0x18 + 1)
                    + " refers to a session that is not loaded";
        }
        return named(WARNINGS.get(number), " (warning)");
    }

    /** "NAME: meaning" with a qualifier after the name; unknown codes say so. */
    private static String named(String entry, String qualifier) {
        if (entry == null) {
            return "an unknown response code" + qualifier;
        }
        int colon = entry.indexOf(':');
        return "TPM_RC_" + entry.substring(0, colon) + qualifier + entry.substring(colon);
    }
}
