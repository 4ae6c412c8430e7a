package dev.atomic.engine;

import dev.atomic.component.SystemSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A standby's rehearsal is real work on private memory, takeovers included, and leaves nothing behind. */
class RehearsalTest {
    @TempDir
    Path scratch;

    @Test
    void everyRehearsedCallIsRoutedAndNothingIsLeftBehind() throws IOException {
        long before = rehearsalMemory();
        SystemSpec system = SystemSpec.builtIn("default");
        int calls = system.components().stream().mapToInt(c -> c.calls().size()).sum();
        // One call per binding is in flight when the first Engine gives way: the second routes its answer.
        assertEquals((Rehearsal.ROUND_TRIPS + 1) * calls, Rehearsal.run(system, scratch));
        assertEquals(before, rehearsalMemory(), "the rehearsal's shared memory is unmapped and closed");
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(0, left.count(), "its audit log went with it");
        }
    }

    /** Open descriptors and mappings of the rehearsal's memfds in this process. */
    private static long rehearsalMemory() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            long open = fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().contains("atomic-private");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
            return open + Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains("atomic-private")).count();
        }
    }
}
