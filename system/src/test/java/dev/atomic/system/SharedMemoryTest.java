package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedMemoryTest {

    @Test
    void aSecondMappingInThisProcessSeesTheSameBytes() {
        try (SharedMemory created = SharedMemory.create("atomic-test", 8192)) {
            assertEquals(8192, created.size());
            assertEquals(8192, created.segment().byteSize());
            assertEquals(0L, created.segment().get(JAVA_LONG, 4096), "a new region is zero-filled");
            assertTrue(created.fd() >= 0);
            assertEquals(Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd",
                    Integer.toString(created.fd())), created.procPath());

            created.segment().set(JAVA_INT, 100, 0xC0FFEE);
            try (SharedMemory opened = SharedMemory.open(created.procPath())) {
                assertEquals(8192, opened.size());
                assertEquals(-1, opened.fd());
                assertThrows(IllegalStateException.class, opened::procPath);
                assertEquals(0xC0FFEE, opened.segment().get(JAVA_INT, 100));
                opened.segment().set(JAVA_INT, 8188, 42);
                assertEquals(42, created.segment().get(JAVA_INT, 8188));
            }
        }
    }

    @Test
    void theMemfdIsNamedAndCloseOnExec() throws Exception {
        try (SharedMemory m = SharedMemory.create("atomic-named", 4096)) {
            assertTrue(Files.readSymbolicLink(m.procPath()).toString().startsWith("/memfd:atomic-named"));
            String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + m.fd()));
            long flags = Long.parseLong(fdinfo.lines().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow()
                    .substring(6).strip(), 8);
            assertTrue((flags & 02000000) != 0, "O_CLOEXEC in " + fdinfo);
        }
    }

    @Test
    void bytesCrossToAnotherProcessAndBack() throws Exception {
        try (SharedMemory m = SharedMemory.create("atomic-cross", 4096)) {
            m.segment().set(JAVA_INT, 0, 7);
            String childSaw = ChildJvm.run(SharedMemoryChild.class, m.procPath().toString(), "31337");
            assertEquals("7", childSaw);
            assertEquals(31337, m.segment().get(JAVA_INT, 4));
        }
    }

    @Test
    void afterCloseTheSegmentCannotBeTouchedAndCloseIsIdempotent() {
        SharedMemory m = SharedMemory.create("atomic-closed", 4096);
        m.segment().set(JAVA_INT, 0, 1);
        m.close();
        assertThrows(IllegalStateException.class, () -> m.segment().get(JAVA_INT, 0));
        m.close();
    }

    /** As a component host maps its lanes: through the JDK, keeping no descriptor, unmapped when closed. */
    @Test
    void anOpenedRegionKeepsNoDescriptorAndItsCloseUnmapsOnlyItsOwnMapping() throws Exception {
        try (SharedMemory created = SharedMemory.create("atomic-opened", 8192)) {
            long before = descriptorsOf("memfd:atomic-opened");
            SharedMemory opened = SharedMemory.open(created.procPath());
            assertEquals(before, descriptorsOf("memfd:atomic-opened"), "the opener's descriptor is closed once mapped");
            assertEquals(8192, opened.size());
            assertEquals(-1, opened.fd());
            opened.segment().set(JAVA_INT, 8188, 4242);
            assertEquals(4242, created.segment().get(JAVA_INT, 8188));
            opened.close();
            assertThrows(IllegalStateException.class, () -> opened.segment().get(JAVA_INT, 8188));
            assertEquals(4242, created.segment().get(JAVA_INT, 8188), "the creator's mapping stays");
        }
    }

    private static long descriptorsOf(String target) throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("/" + target);
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void lockKeepsTheMappingResident() throws Exception {
        try (SharedMemory m = SharedMemory.create("atomic-locked", 64 * 1024)) {
            long before = vmLockedKb();
            m.lock();
            assertTrue(vmLockedKb() >= before + 64, "VmLck grows by the 64 kB locked");
        }
    }

    @Test
    void rejectsAnEmptyRegion() {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("atomic-empty", 0));
    }

    static long vmLockedKb() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmLck:"))
                .findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("\\D", ""));
    }

    @Test
    void anotherOpenerCannotShrinkTheSegmentUnderTheCreator() throws Exception {
        try (SharedMemory shm = SharedMemory.create("sealed", 8192)) {
            assertTrue(shm.sizeSealed());
            // As a hostile peer would: open the same memfd by its path and try to cut it short.
            try (java.io.RandomAccessFile peer = new java.io.RandomAccessFile(shm.procPath().toFile(), "rw")) {
                java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                        () -> peer.setLength(10));
                assertTrue(e.getMessage().contains("Operation not permitted"), e.getMessage());
                assertEquals(8192, peer.length());
            }
            shm.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 8191, (byte) 1); // still mapped, no SIGBUS
        }
    }
}
