package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MemoryLockTest {

    @Test
    void lockAndUnlockShowInVmLck() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(32 * 1024, 4096);
            long before = SharedMemoryTest.vmLockedKb();
            MemoryLock.lock(s);
            assertEquals(before + 32, SharedMemoryTest.vmLockedKb());
            MemoryLock.unlock(s);
            assertEquals(before, SharedMemoryTest.vmLockedKb());
        }
    }
}
