package dev.atomic.bridge;

import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlRegionTest {
    @Test
    void theEngineSeesWhatTheSovereignWrote() {
        try (ControlRegion sovereign = ControlRegion.format(SharedMemory.create("ctl", ControlRegion.sizeFor(3, 2, 1, 4096)),
                3, 2, 1, 4096, 1234);
             ControlRegion engine = ControlRegion.attach(SharedMemory.open(sovereign.memory().procPath()))) {
            sovereign.describeSlot(2, ControlRegion.KERNEL_DAK, "demo-app", "/proc/1/fd/9");
            assertEquals(3, engine.slots());
            assertEquals(1234, engine.sovereignPid());
            assertEquals("demo-app", engine.slotName(2));
            assertEquals("/proc/1/fd/9", engine.slotPath(2));
            assertEquals(ControlRegion.KERNEL_DAK, engine.slotKernel(2));
            sovereign.describePool(1, "/proc/1/fd/12");
            assertEquals(2, engine.pools());
            assertEquals("/proc/1/fd/12", engine.poolPath(1));
            sovereign.describeFastPath(0, "/proc/1/fd/13");
            assertEquals("/proc/1/fd/13", engine.fastPathPath(0));
            assertEquals("/proc/1/fd/12", engine.poolPath(1), "the tables do not overlap");
            assertEquals("demo-app", engine.slotName(2), "the tables do not overlap");
            engine.engineState(ControlRegion.READY);
            assertEquals(ControlRegion.READY, sovereign.engineState());
            sovereign.orders().offer(FrameType.SHUTDOWN, -1, -1, 0, 0, 0, 0);
            int[] type = new int[1];
            assertEquals(1, engine.orders().poll((t, b, i, l) -> type[0] = t, 10));
            assertEquals(FrameType.SHUTDOWN, type[0]);
        }
    }

    @Test
    void namesTooLongForTheSlotTableAreRefused() {
        try (ControlRegion r = ControlRegion.format(SharedMemory.create("ctl", ControlRegion.sizeFor(1, 0, 0, 4096)), 1, 0, 0, 4096, 1)) {
            assertThrows(IllegalArgumentException.class, () -> r.describeSlot(0, 0, "x".repeat(61), "/p"));
            assertThrows(IndexOutOfBoundsException.class, () -> r.describeSlot(1, 0, "x", "/p"));
        }
    }
}
