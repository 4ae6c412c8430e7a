package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SyscallExceptionTest {

    @Test
    void pidfdOpenOfAMissingProcessSaysEsrch() {
        // pid_t is 32-bit and pid_max is at most 2^22, so this pid can never exist.
        SyscallException e = assertThrows(SyscallException.class, () -> PidFd.open(Integer.MAX_VALUE));
        assertEquals("pidfd_open", e.call());
        assertEquals(Errno.ESRCH, e.errno());
        assertEquals("ESRCH", e.errnoName());
        assertEquals("pidfd_open(2147483647) failed: ESRCH (No such process)", e.getMessage());
    }

    @Test
    void openingAMissingPathSaysEnoentAndNamesThePath() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> SharedMemory.open(Path.of("/proc/self/fd/no-such-fd")));
        assertEquals("open", e.call());
        assertEquals("ENOENT", e.errnoName());
        assertEquals("open(\"/proc/self/fd/no-such-fd\") failed: ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void errnoNamesAndTextsComeFromGlibc() {
        assertEquals("EPERM", Errno.name(1));
        assertEquals("Operation not permitted", Errno.describe(1));
        assertEquals("ETIMEDOUT", Errno.name(Errno.ETIMEDOUT));
        assertEquals("errno 4242", Errno.name(4242));
    }
}
