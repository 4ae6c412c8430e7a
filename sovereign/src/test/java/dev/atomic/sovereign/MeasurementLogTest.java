package dev.atomic.sovereign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class MeasurementLogTest {
    @TempDir
    Path dir;

    @Test
    void theRegisterIsTheChainOfEveryDigestInOrder() throws Exception {
        MeasurementLog log = new MeasurementLog();
        log.measure("a", "first", "one".getBytes(StandardCharsets.UTF_8));
        log.measure("b", "second", "two".getBytes(StandardCharsets.UTF_8));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] pcr = new byte[32];
        for (String s : new String[]{"one", "two"}) {
            sha.update(pcr);
            sha.update(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
            pcr = sha.digest();
        }
        assertEquals(HexFormat.of().formatHex(pcr), log.finalDigest());
        assertEquals(log.finalDigest(), log.events().get(1).pcrAfter());
    }

    @Test
    void oneFlippedByteInAnImageOrASwappedOrderChangesTheFinalDigest() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/x"));
        Files.writeString(classes.resolve("A.class"), "alpha");
        Files.writeString(classes.resolve("B.class"), "beta");
        String before = measured(dir.resolve("classes"), "spec");
        Files.writeString(classes.resolve("B.class"), "betb");
        assertNotEquals(before, measured(dir.resolve("classes"), "spec"));

        MeasurementLog swapped = new MeasurementLog();
        swapped.measure("spec", "spec", "spec".getBytes(StandardCharsets.UTF_8));
        swapped.measure("image", dir.resolve("classes"));
        assertNotEquals(measured(dir.resolve("classes"), "spec"), swapped.finalDigest());
    }

    @Test
    void theLogReadsBackAsWritten() throws Exception {
        MeasurementLog log = new MeasurementLog();
        log.measure("spec", "system 'default'", "x".getBytes(StandardCharsets.UTF_8));
        log.write(dir.resolve("m.json"), "atomic", "no TPM");
        MeasurementLog.Snapshot s = MeasurementLog.read(dir.resolve("m.json"));
        assertEquals(log.finalDigest(), s.finalDigest());
        assertEquals(log.events(), s.events());
    }

    private static String measured(Path image, String spec) throws Exception {
        MeasurementLog log = new MeasurementLog();
        log.measure("image", image);
        log.measure("spec", "spec", spec.getBytes(StandardCharsets.UTF_8));
        return log.finalDigest();
    }
}
