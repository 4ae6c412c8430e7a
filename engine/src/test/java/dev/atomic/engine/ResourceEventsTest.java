package dev.atomic.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResourceEventsTest {
    @Test
    void countsAreReadFromFlatKeyedFiles(@TempDir Path dir) throws Exception {
        Path pids = Files.writeString(dir.resolve("pids.events"), "max 7\n");
        Path v1 = Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Path v2 = Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
        assertEquals(7, ResourceEvents.count(pids, "max"));
        assertEquals(2, ResourceEvents.count(v1, "oom_kill"));
        assertEquals(1, ResourceEvents.count(v2, "oom_kill"), "not oom_kill_disable, nor oom");
        assertEquals(0, ResourceEvents.count(dir.resolve("gone"), "max"));
    }

    @Test
    void theGroupOfAControllerIsFoundInItsOwnHierarchy() throws Exception {
        // This very process: its pids group on a v1 host, its one group on v2; the file is found where it exists.
        List<String> groups = Files.readAllLines(Path.of("/proc/self/cgroup"));
        Optional<Path> found = ResourceEvents.file(groups, "pids", "cgroup.procs");
        found.ifPresent(p -> assertEquals(true, p.toString().startsWith("/sys/fs/cgroup/"), p.toString()));
        assertEquals(Optional.empty(), ResourceEvents.file(List.of("3:pids:/no/such/group"), "pids", "pids.events"));
        assertEquals(Optional.empty(), ResourceEvents.file(List.of("3:cpu,cpuacct:/"), "pids", "pids.events"));
    }
}
