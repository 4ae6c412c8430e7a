package dev.atomic.sovereign;

import dev.atomic.system.tpm.Tpm;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Extends a boot's measurement log into a TPM PCR, or says why it could not. It never throws: a boot goes on
 * without a TPM, and its report says the log is then kept but not sealed.
 */
final class TpmMeasurement {
    private static final String NOT_SEALED = ": the log is kept, not sealed";

    private TpmMeasurement() {
    }

    /** Opens the TPM device and extends the log into PCR {@code pcr}; returns the boot report's words. */
    static String extend(MeasurementLog log, Path device, int pcr) {
        Tpm tpm;
        try {
            tpm = Tpm.open(device);
        } catch (NoSuchFileException e) {
            return "no TPM (" + device + ")" + NOT_SEALED;
        } catch (AccessDeniedException e) {
            return "the TPM (" + device + ") is not open to this user (root, or the tss group on most"
                    + " distributions)" + NOT_SEALED;
        } catch (IOException e) {
            return "the TPM (" + device + ") cannot be opened: " + e.getMessage() + NOT_SEALED;
        }
        String outcome = extend(log, tpm, pcr);
        try {
            tpm.close();
        } catch (IOException closing) {
            // the PCR is extended, or not, whatever closing the device says
        }
        return outcome;
    }

    /** Extends the log into PCR {@code pcr} of an open TPM; returns the boot report's words. */
    static String extend(MeasurementLog log, Tpm tpm, int pcr) {
        MeasurementLog.Pcr p;
        try {
            p = log.extendInto(tpm, pcr);
        } catch (IOException e) {
            return "TPM error (" + tpm.name() + "): " + e.getMessage() + NOT_SEALED;
        }
        String where = "extended into PCR " + pcr + " of the TPM (" + tpm.name() + ")";
        return p.matched()
                ? where + ": it reads " + abbreviated(p.after()) + ", as the log predicts"
                : where + ", but it reads " + abbreviated(p.after()) + " where the log predicts "
                        + abbreviated(p.expected()) + ": something else extended PCR " + pcr + " at the same time";
    }

    private static String abbreviated(String hex) {
        return hex.substring(0, 16) + "…";
    }
}
