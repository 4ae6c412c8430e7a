package dev.atomic.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LandlockTest {

    @Test
    void thisKernelOffersLandlock() {
        // The development and CI hosts run a kernel with Landlock enabled (ABI 7 at the time of writing).
        int abi = Landlock.abiVersion();
        assertTrue(abi >= 1, "Landlock ABI " + abi);
    }
}
