package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ProcTest {

    @Test
    void idsMatchWhatTheKernelShows() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        assertEquals(self.pid(), Proc.pid());
        assertEquals(self.parent().orElseThrow().pid(), Proc.parentPid());
        assertEquals(Path.of(self.pid() + "/task/" + Proc.tid()), Files.readSymbolicLink(Path.of("/proc/thread-self")));
        assertNotEquals(Proc.tid(), CompletableFuture.supplyAsync(Proc::tid).get(), "each thread has its own");
    }
}
