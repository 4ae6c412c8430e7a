package dev.atomic.sovereign;

import dev.atomic.system.tpm.SoftwareTpm;
import dev.atomic.system.tpm.Tpm;
import dev.atomic.system.tpm.TpmTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The measurement log extended into PCR 23 of a real software TPM (swtpm). */
class TpmMeasurementTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int PCR = Tpm.APPLICATION_PCR;

    @TempDir
    static Path dir;
    private static SoftwareTpm swtpm;

    @BeforeAll
    static void start() throws Exception {
        swtpm = SoftwareTpm.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (swtpm != null) {
            swtpm.close();
        }
    }

    @Test
    void theChainIsExtendedOnTopOfWhatThePcrHeldAndReadBack() throws Exception {
        Tpm tpm = swtpm.tpm();
        tpm.pcrExtend(PCR, sha256("an earlier boot".getBytes(StandardCharsets.UTF_8))); // never reset: kept
        byte[] before = tpm.pcrRead(PCR);
        MeasurementLog log = log();

        String said = TpmMeasurement.extend(log, tpm, PCR);

        byte[] expected = before;
        for (MeasurementLog.Event e : log.events()) {
            expected = sha256(concat(expected, HEX.parseHex(e.digest())));
        }
        assertEquals(HEX.formatHex(expected), HEX.formatHex(tpm.pcrRead(PCR)));
        assertEquals("extended into PCR 23 of the TPM (" + tpm.name() + "): it reads "
                + HEX.formatHex(expected).substring(0, 16) + "…, as the log predicts", said);
        MeasurementLog.Pcr p = written(log, said).pcr();
        assertEquals(new MeasurementLog.Pcr(PCR, tpm.name(), HEX.formatHex(before), HEX.formatHex(expected),
                HEX.formatHex(expected), true), p);
        assertNotEquals(log.finalDigest(), p.after(), "the PCR did not start from zero, the log's register does");
    }

    @Test
    void anExtendFromSomewhereElseInBetweenIsAMismatchNotASuccess() throws Exception {
        TpmTransport real = swtpm.transport();
        Tpm meddled = Tpm.over(new TpmTransport() {
            private boolean twice;

            @Override
            public byte[] transact(byte[] command) throws IOException {
                byte[] response = real.transact(command);
                if (!twice && command[9] == (byte) 0x82) { // the first PCR_Extend reaches the TPM twice
                    twice = true;
                    real.transact(command);
                }
                return response;
            }

            @Override
            public void close() {
            }
        }, swtpm.tpm().name());
        MeasurementLog log = log();

        String said = TpmMeasurement.extend(log, meddled, PCR);

        MeasurementLog.Pcr p = written(log, said).pcr();
        assertFalse(p.matched());
        assertEquals(HEX.formatHex(swtpm.tpm().pcrRead(PCR)), p.after());
        assertNotEquals(p.expected(), p.after());
        assertTrue(said.endsWith("where the log predicts " + p.expected().substring(0, 16)
                + "…: something else extended PCR 23 at the same time"), said);
    }

    @Test
    void aTpmErrorIsReportedAndTheLogKeptUnsealed() throws Exception {
        MeasurementLog log = log();
        String said = TpmMeasurement.extend(log, swtpm.tpm(), 24);
        assertEquals("TPM error (" + swtpm.tpm().name() + "): TPM refused PCR_Read: rc 0x1c4 (TPM_RC_VALUE,"
                + " parameter 1: value is out of range or not correct for the context): the log is kept, not sealed",
                said);
        assertNull(written(log, said).pcr());
    }

    @Test
    void noDeviceMeansNoTpm() {
        Path missing = dir.resolve("tpmrm9");
        assertEquals("no TPM (" + missing + "): the log is kept, not sealed",
                TpmMeasurement.extend(log(), missing, PCR));
    }

    @Test
    void aDeviceThatIsNoTpmIsAnErrorNotACrash() {
        String said = TpmMeasurement.extend(log(), dir, PCR); // a directory: it cannot even be opened for writing
        assertTrue(said.startsWith("the TPM (" + dir + ") cannot be opened: "), said);
        assertTrue(said.endsWith(": the log is kept, not sealed"), said);
    }

    private static MeasurementLog log() {
        MeasurementLog log = new MeasurementLog();
        log.measure("sovereign", "image", "sovereign".getBytes(StandardCharsets.UTF_8));
        log.measure("system", "system 'default'", "spec".getBytes(StandardCharsets.UTF_8));
        log.measure("engine", "image", "engine".getBytes(StandardCharsets.UTF_8));
        return log;
    }

    private static MeasurementLog.Snapshot written(MeasurementLog log, String said) throws IOException {
        Path file = dir.resolve("m.json");
        log.write(file, "atomic", said);
        MeasurementLog.Snapshot s = MeasurementLog.read(file);
        assertEquals(said, s.tpm());
        return s;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
