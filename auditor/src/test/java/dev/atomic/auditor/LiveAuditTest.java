package dev.atomic.auditor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveAuditTest {

    @Test
    void thisHostAgreesWithItsRecording() {
        HostReport live = Auditor.audit();
        HostReport recorded = Fixtures.audit("this-machine");
        assertEquals(recorded.reservation().profile(), live.reservation().profile());
        assertEquals(recorded.reservation().mode(), live.reservation().mode());
        assertTrue(live.features().landlockAbi() >= 1);
        assertTrue(ReportRenderer.text(live).contains("Not enforced on this host"));
    }
}
