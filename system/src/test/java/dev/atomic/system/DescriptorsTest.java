package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DescriptorsTest {

    @Test
    void aMemfdReadsBackWhatWasWrittenAndACopyTakenThroughAPidfdIsTheSameFile() throws Exception {
        byte[] data = new byte[40_000]; // more than one read's chunk
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        int fd = Descriptors.memfd("descriptors-test");
        try (PidFd self = PidFd.open(ProcessHandle.current().pid())) {
            Files.write(Path.of("/proc/self/fd/" + fd), data);
            assertArrayEquals(data, Descriptors.readAll(fd));
            int copy = self.takeFd(fd);
            try {
                assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)),
                        Files.readSymbolicLink(Path.of("/proc/self/fd/" + copy)));
                assertArrayEquals(data, Descriptors.readAll(copy));
            } finally {
                Descriptors.close(copy);
            }
            SyscallException e = assertThrows(SyscallException.class, () -> self.takeFd(99_999));
            assertEquals("EBADF", e.errnoName());
        } finally {
            Descriptors.close(fd);
        }
    }
}
