package dev.atomic.auditor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportRendererTest {

    private final HostReport report = Fixtures.audit("intel-14900k");

    @Test
    void jsonParsesBackWithItsFields() throws Exception {
        String json = ReportRenderer.json(report);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode root = mapper.readTree(json);
        assertEquals(32, root.path("cpu").path("logicalCpus").intValue());
        assertTrue(root.path("memoryBytes").isIntegralNumber());
        assertEquals(6, root.path("features").path("landlockAbi").intValue());
        assertEquals("v2", root.path("features").path("cgroupVersion").textValue());
        assertEquals("full", root.path("reservation").path("profile").textValue());
        assertEquals("partitioned", root.path("reservation").path("mode").textValue());
        assertEquals(28, root.path("reservation").path("engineCpus").path(0).intValue());
        assertEquals(1L << 30, root.path("reservation").path("bridgeBytes").longValue());
        assertEquals(5, root.path("reservation").path("reasons").size());
        assertTrue(root.path("notEnforced").isArray());
        assertEquals(report, mapper.readValue(json, HostReport.class));
    }

    @Test
    void textHasItsSectionsAndValues() {
        String text = ReportRenderer.text(report);
        for (String section : new String[] {"Host\n", "Isolation features\n", "Profile\n", "Reservation\n",
                "Not enforced on this host\n"}) {
            assertTrue(text.contains(section), section);
        }
        assertTrue(line(text, "hybrid +P-cores 0-15, E-cores 16-31"), text);
        assertTrue(line(text, "engine CPUs +28-31 +CPUs 28-31: the last 4 E-cores[.]"), text);
        assertTrue(line(text, "TPM +yes +/dev/tpmrm0: the boot's measurement chain is extended into PCR 23"), text);
    }

    /** A whole line of the text, indented as a row, matches the pattern (columns are padded with spaces). */
    private static boolean line(String text, String pattern) {
        return Pattern.compile("^  " + pattern + "$", Pattern.MULTILINE).matcher(text).find();
    }
}
