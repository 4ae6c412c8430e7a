package dev.atomic.system.tpm;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A TPM 2.0, spoken to in its own command bytes: reading and extending PCRs of the SHA-256 bank, nothing more.
 * Commands are marshalled as TPM 2.0 Part 3 lays them out; an error response becomes a {@link TpmException} naming
 * the command, the code and its meaning. Not thread-safe: one command at a time.
 */
public final class Tpm implements Closeable {
    /** The kernel's resource-managed TPM device: any number of programs may hold it open. */
    public static final Path DEVICE = Path.of("/dev/tpmrm0");
    /**
     * The PC Client profile's application PCR: software at locality 0 may extend it, and it is not written by
     * firmware, the boot loader or the kernel (0-15). It can also be reset at locality 0 (as can PCR 16).
     */
    public static final int APPLICATION_PCR = 23;
    public static final int SHA256_SIZE = 32;

    private static final int CC_PCR_EXTEND = 0x182;
    private static final int CC_PCR_READ = 0x17E;
    /** The password session, with an empty password: a PCR's authValue is empty unless a platform sets one. */
    private static final int RS_PW = 0x40000009;
    private static final int ALG_SHA256 = 0x000B;
    /** Password session: handle, empty nonce, attributes, empty password (TPMS_AUTH_COMMAND). */
    private static final int PASSWORD_AUTH_SIZE = 4 + 2 + 1 + 2;
    /** A PCR selection bitmap of 3 bytes covers the 24 PCRs every PC Client TPM has. */
    private static final int MIN_SELECT_BYTES = 3;
    private static final int MAX_PCR = 255;

    private final TpmTransport transport;
    private final String name;

    private Tpm(TpmTransport transport, String name) {
        this.transport = transport;
        this.name = name;
    }

    /** Opens a TPM device, usually {@link #DEVICE}; a missing device or refused access throws as the file system says. */
    public static Tpm open(Path device) throws IOException {
        return new Tpm(new DeviceTransport(device), device.toString());
    }

    /** A TPM reached some other way: a software TPM's socket, a relay. */
    public static Tpm over(TpmTransport transport, String name) {
        return new Tpm(transport, name);
    }

    /** The device path or address, for messages. */
    public String name() {
        return name;
    }

    /** TPM2_PCR_Read of one PCR in the SHA-256 bank. */
    public byte[] pcrRead(int pcr) throws IOException {
        checkIndex(pcr);
        byte[] select = new byte[Math.max(MIN_SELECT_BYTES, pcr / 8 + 1)];
        select[pcr / 8] = (byte) (1 << (pcr % 8));
        TpmResponse r = transact("PCR_Read", new TpmCommand(TpmCommand.ST_NO_SESSIONS, CC_PCR_READ)
                .u32(1).u16(ALG_SHA256).u8(select.length).bytes(select));
        r.u32(); // pcrUpdateCounter
        boolean selected = false;
        for (int banks = r.u32(), i = 0; i < banks; i++) {
            int hash = r.u16();
            byte[] bits = r.bytes(r.u8());
            selected |= hash == ALG_SHA256 && pcr / 8 < bits.length && (bits[pcr / 8] & (1 << (pcr % 8))) != 0;
        }
        int values = r.u32();
        if (!selected || values == 0) {
            throw new IOException(name + " has no PCR " + pcr + " in its SHA-256 bank (PCR_Read returned no value)");
        }
        byte[] value = r.bytes(r.u16());
        if (value.length != SHA256_SIZE) {
            throw r.malformed("a SHA-256 PCR value of " + value.length + " bytes");
        }
        return value;
    }

    /** TPM2_PCR_Extend of one PCR's SHA-256 bank: {@code pcr = SHA-256(pcr || digest)}, in the TPM. */
    public void pcrExtend(int pcr, byte[] sha256) throws IOException {
        checkIndex(pcr);
        if (sha256.length != SHA256_SIZE) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + sha256.length);
        }
        TpmResponse r = transact("PCR_Extend", new TpmCommand(TpmCommand.ST_SESSIONS, CC_PCR_EXTEND)
                .u32(pcr)
                .u32(PASSWORD_AUTH_SIZE).u32(RS_PW).u16(0).u8(0).u16(0)
                .u32(1).u16(ALG_SHA256).bytes(sha256));
        if (r.tag() != TpmCommand.ST_SESSIONS) {
            throw r.malformed("a successful PCR_Extend must answer its password session");
        }
    }

    private TpmResponse transact(String command, TpmCommand c) throws IOException {
        return new TpmResponse(command, transport.transact(c.bytes())).succeeded();
    }

    private static void checkIndex(int pcr) {
        if (pcr < 0 || pcr > MAX_PCR) {
            throw new IllegalArgumentException("PCR index " + pcr + " is not in 0.." + MAX_PCR);
        }
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }
}
