package dev.atomic.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.sovereign.BootOptions;
import dev.atomic.sovereign.MeasurementLog;
import dev.atomic.sovereign.Sovereign;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code atomic measurements} prints what the boot extended into the TPM, and whether it read back as predicted. */
class MeasurementsCommandTest {
    @TempDir
    Path home;

    @Test
    void aLogExtendedIntoATpmShowsThePcrBeforeExpectedAndReadBack() throws Exception {
        String printed = printed(new MeasurementLog.Pcr(23, "/dev/tpmrm0", "aa".repeat(32), "bb".repeat(32),
                "bb".repeat(32), true), "extended into PCR 23 of the TPM (/dev/tpmrm0)");
        assertTrue(printed.contains("TPM: extended into PCR 23 of the TPM (/dev/tpmrm0)\n"), printed);
        assertTrue(printed.contains("  PCR 23 (SHA-256 bank) of /dev/tpmrm0, not reset before this boot\n"), printed);
        assertTrue(printed.contains("    before     " + "aa".repeat(32) + "\n"), printed);
        assertTrue(printed.contains("    expected   " + "bb".repeat(32) + "  (before, extended with the 1 digests"
                + " above in order)\n"), printed);
        assertTrue(printed.contains("    read back  " + "bb".repeat(32) + "  matches\n"), printed);
    }

    @Test
    void aPcrThatReadsBackOtherwiseIsFlagged() throws Exception {
        String printed = printed(new MeasurementLog.Pcr(23, "/dev/tpmrm0", "aa".repeat(32), "bb".repeat(32),
                "cc".repeat(32), false), "extended into PCR 23 of the TPM (/dev/tpmrm0), but …");
        assertTrue(printed.contains("    read back  " + "cc".repeat(32) + "  DOES NOT MATCH"), printed);
    }

    @Test
    void aLogKeptWithoutATpmSaysWhy() throws Exception {
        String printed = printed(null, "no TPM (/dev/tpmrm0): the log is kept, not sealed");
        assertTrue(printed.contains("TPM: no TPM (/dev/tpmrm0): the log is kept, not sealed\n"), printed);
        assertFalse(printed.contains("PCR 23"), printed);
    }

    private String printed(MeasurementLog.Pcr pcr, String tpm) throws Exception {
        Path file = Sovereign.measurementsFile(new BootOptions("default", "m", home, Optional.empty()));
        Files.createDirectories(file.getParent());
        new ObjectMapper().writeValue(file.toFile(), new MeasurementLog.Snapshot("m", List.of(new MeasurementLog.Event(
                0, "sovereign", "image", "11".repeat(32), "22".repeat(32))), "22".repeat(32), tpm, pcr));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AtomicCli());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("measurements", "--instance", "m", "--home", home.toString()));
        return out.toString();
    }
}
