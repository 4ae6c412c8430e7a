package dev.atomic.system.tpm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TPM client against a real software TPM (swtpm), which takes the same bytes as /dev/tpmrm0. */
class TpmTest {
    @TempDir
    static Path dir;
    private static SoftwareTpm swtpm;
    private static Tpm tpm;

    @BeforeAll
    static void start() throws Exception {
        swtpm = SoftwareTpm.start(dir);
        tpm = swtpm.tpm();
    }

    @AfterAll
    static void stop() throws Exception {
        if (swtpm != null) {
            swtpm.close();
        }
    }

    @Test
    void extendingAPcrGivesTheSameChainAsSoftware() throws Exception {
        byte[] expected = tpm.pcrRead(Tpm.APPLICATION_PCR);
        for (String stage : List.of("sovereign", "system", "engine")) {
            byte[] digest = sha256(stage.getBytes(StandardCharsets.UTF_8));
            tpm.pcrExtend(Tpm.APPLICATION_PCR, digest);
            expected = sha256(concat(expected, digest));
        }
        assertArrayEquals(expected, tpm.pcrRead(Tpm.APPLICATION_PCR));
    }

    @Test
    void anExtendChangesOnlyItsOwnPcr() throws Exception {
        byte[] other = tpm.pcrRead(Tpm.APPLICATION_PCR);
        byte[] before = tpm.pcrRead(16);
        tpm.pcrExtend(16, sha256(new byte[]{1}));
        assertFalse(java.util.Arrays.equals(before, tpm.pcrRead(16)));
        assertArrayEquals(other, tpm.pcrRead(Tpm.APPLICATION_PCR));
    }

    @Test
    void extendingAPcrThatDoesNotExistIsRefusedWithTheCodeAndItsMeaning() throws Exception {
        TpmException e = assertThrows(TpmException.class, () -> tpm.pcrExtend(24, sha256(new byte[0])));
        assertEquals("PCR_Extend", e.command());
        assertEquals(0x184, e.responseCode());
        assertEquals("TPM refused PCR_Extend: rc 0x184 (TPM_RC_VALUE, handle 1: value is out of range or not correct"
                + " for the context)", e.getMessage());
        assertEquals(32, tpm.pcrRead(0).length, "the connection is still usable after an error");
    }

    @Test
    void readingAPcrThatDoesNotExistIsRefused() {
        TpmException e = assertThrows(TpmException.class, () -> tpm.pcrRead(24)); // a 4-byte selection: too long
        assertEquals("TPM refused PCR_Read: rc 0x1c4 (TPM_RC_VALUE, parameter 1: value is out of range or not"
                + " correct for the context)", e.getMessage());
    }

    @Test
    void aPcrReadThatReturnsNoValueSaysThePcrIsMissing() {
        // what a TPM without a SHA-256 bank answers: PCR_Read succeeds, with the selection cleared and no value
        Tpm noBank = canned("8001" + "0000001c" + "00000000" + "00000014" + "00000001" + "000b" + "03" + "000000"
                + "00000000");
        IOException e = assertThrows(IOException.class, () -> noBank.pcrRead(23));
        assertEquals("canned has no PCR 23 in its SHA-256 bank (PCR_Read returned no value)", e.getMessage());
    }

    @Test
    void aDigestOfTheWrongSizeNeverReachesTheTpm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tpm.pcrExtend(Tpm.APPLICATION_PCR, new byte[20]));
        assertEquals("a SHA-256 digest has 32 bytes, not 20", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tpm.pcrRead(-1));
    }

    /** A FIFO opened for reading and writing hands back what was written: one whole command, read as one response. */
    @Test
    void theDeviceIsWrittenOneWholeCommandAndReadOneWholeResponse(@TempDir Path tmp) throws Exception {
        Path fifo = tmp.resolve("tpmrm0");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try (Tpm echo = Tpm.open(fifo)) {
            TpmException e = assertThrows(TpmException.class, () -> echo.pcrRead(23));
            assertEquals(0x17E, e.responseCode(), "the command's own code, TPM2_CC_PCR_Read, read as the response's");
        }
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Tpm.open(tmp.resolve("tpmrm9")));
    }

    @Test
    void commandsAreMarshalledAsPart3LaysThemOut() throws Exception {
        List<byte[]> sent = new java.util.ArrayList<>();
        HexFormat hex = HexFormat.of();
        Tpm recorder = Tpm.over(new TpmTransport() {
            @Override
            public byte[] transact(byte[] command) {
                sent.add(command);
                return hex.parseHex("80020000001300000000000000000000010000"); // success, empty password session
            }

            @Override
            public void close() {
            }
        }, "recorder");
        recorder.pcrExtend(23, new byte[32]);
        assertEquals("8002" + "00000041" + "00000182" // tag TPM_ST_SESSIONS, size 65, TPM_CC_PCR_Extend
                + "00000017" // pcrHandle 23
                + "00000009" + "40000009" + "0000" + "00" + "0000" // auth area: TPM_RS_PW, no nonce, no password
                + "00000001" + "000b" + "00".repeat(32), // one TPMT_HA: TPM_ALG_SHA256 and the digest
                hex.formatHex(sent.getFirst()));
    }

    @Test
    void aTruncatedResponseIsReportedAsMalformed() {
        Tpm broken = canned("80010000000e0000000000000014"); // ends inside the selection list
        IOException e = assertThrows(IOException.class, () -> broken.pcrRead(23));
        assertEquals("malformed TPM response to PCR_Read: it ends early, at byte 14", e.getMessage());
    }

    /** A TPM that answers every command with the same bytes. */
    private static Tpm canned(String response) {
        return Tpm.over(new TpmTransport() {
            @Override
            public byte[] transact(byte[] command) {
                return HexFormat.of().parseHex(response);
            }

            @Override
            public void close() {
            }
        }, "canned");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] sha256(byte[] data) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
