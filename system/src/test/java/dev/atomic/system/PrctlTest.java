package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrctlTest {

    @Test
    void childSubreaperRoundTrip() {
        boolean original = Prctl.isChildSubreaper();
        try {
            Prctl.setChildSubreaper(true);
            assertTrue(Prctl.isChildSubreaper());
            Prctl.setChildSubreaper(false);
            assertFalse(Prctl.isChildSubreaper());
        } finally {
            Prctl.setChildSubreaper(original);
        }
    }

    @Test
    void parentDeathSignalRoundTrip() {
        int original = Prctl.parentDeathSignal();
        try {
            Prctl.setParentDeathSignal(Signals.SIGTERM);
            assertEquals(Signals.SIGTERM, Prctl.parentDeathSignal());
            Prctl.setParentDeathSignal(0);
            assertEquals(0, Prctl.parentDeathSignal());
        } finally {
            Prctl.setParentDeathSignal(original);
        }
    }

    @Test
    void noNewPrivsIsSetForGoodInAChildJvm() throws Exception {
        assertEquals("false true", ChildJvm.run(PrctlChild.class));
        assertFalse(Prctl.noNewPrivs(), "the test JVM itself is untouched");
        assertTrue(Files.readString(Path.of("/proc/self/status")).contains("NoNewPrivs:\t0"));
    }

    @Test
    void anInvalidSignalIsRefusedByTheKernel() {
        SyscallException e = org.junit.jupiter.api.Assertions.assertThrows(SyscallException.class,
                () -> Prctl.setParentDeathSignal(1000));
        assertEquals("EINVAL", e.errnoName());
        assertEquals("prctl(PR_SET_PDEATHSIG) failed: EINVAL (Invalid argument)", e.getMessage());
    }
}
