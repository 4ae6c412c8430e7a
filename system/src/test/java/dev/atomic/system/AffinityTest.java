package dev.atomic.system;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffinityTest {

    /** On a thread of its own, which dies afterwards, so no pinning can leak into other tests. */
    @Test
    void setAndGetRoundTripOnTheCallingThread() throws Exception {
        CompletableFuture.runAsync(() -> {
            BitSet original = Affinity.get(0);
            assertEquals(Runtime.getRuntime().availableProcessors(), original.cardinality());
            int last = original.length() - 1;
            try {
                BitSet one = new BitSet();
                one.set(last);
                Affinity.set(0, one);
                assertEquals(one, Affinity.get(0));
                assertEquals(one, Affinity.get(Proc.tid()));
                assertEquals(Integer.toString(last), cpusAllowed(Proc.tid()), "the kernel agrees");
            } finally {
                Affinity.set(0, original);
            }
            assertEquals(original, Affinity.get(0));
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void anEmptySetIsRefused() {
        SyscallException e = assertThrows(SyscallException.class, () -> Affinity.set(0, new BitSet()));
        assertEquals("EINVAL", e.errnoName());
        assertTrue(Affinity.get(0).cardinality() > 0);
    }

    private static String cpusAllowed(long tid) {
        try {
            return Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status")).stream()
                    .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                    .substring("Cpus_allowed_list:".length()).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
