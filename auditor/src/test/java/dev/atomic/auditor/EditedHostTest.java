package dev.atomic.auditor;

import static dev.atomic.auditor.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures changed in one place, to reach the rules' fallbacks. */
class EditedHostTest {

    @TempDir
    Path dir;

    private Path copy(String fixture) throws IOException, URISyntaxException {
        Path from = Path.of(EditedHostTest.class.getResource("/hosts/" + fixture).toURI());
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(f -> {
                try {
                    Path to = dir.resolve(from.relativize(f).toString());
                    if (!Files.isDirectory(to)) {
                        Files.copy(f, to);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return dir;
    }

    private void write(String path, String text) throws IOException {
        Files.writeString(dir.resolve(path), text);
    }

    @Test
    void withoutCpusetTheEngineSharesItsCpus() throws Exception {
        copy("intel-14900k");
        write("sys/fs/cgroup/cgroup.controllers", "cpu io memory pids\n");
        HostReport r = Auditor.audit(HostView.fixture(dir));
        assertEquals(Profile.FULL, r.reservation().profile());
        assertEquals(Mode.SHARED, r.reservation().mode());
        assertEquals(List.of(28, 29, 30, 31), r.reservation().engineCpus());
        assertTrue(r.notEnforced().contains("No cpuset controller can make CPUs exclusive: the Engine shares its"
                + " CPUs with components (shared mode); they are not reserved."));
        assertTrue(r.notEnforced().contains("No cpuset cgroup controller: the Engine's CPUs cannot be kept apart"
                + " from components."));
    }

    @Test
    void tooFewCpusLeftForComponentsMeansShared() throws Exception {
        copy("intel-14900k");
        write("sys/devices/system/cpu/online", "0,28-31\n");
        write("sys/devices/cpu_core/cpus", "0\n");
        write("sys/devices/cpu_atom/cpus", "28-31\n");
        HostReport r = Auditor.audit(HostView.fixture(dir));
        assertEquals(5, r.cpu().logicalCpus());
        assertEquals(Profile.FULL, r.reservation().profile());
        assertEquals(Mode.SHARED, r.reservation().mode());
        assertEquals(List.of(28, 29, 30, 31), r.reservation().engineCpus());
        assertTrue(r.notEnforced().contains("Only 1 CPU would remain for components: the Engine shares its CPUs"
                + " with components (shared mode); they are not reserved."));
    }

    @Test
    void oneNodeServerTakesItsHighestCores() throws Exception {
        copy("xeon-2s-128g");
        write("sys/devices/system/node/node0/cpulist", "0-63\n");
        Files.delete(dir.resolve("sys/devices/system/node/node1/cpulist"));
        HostReport r = Auditor.audit(HostView.fixture(dir));
        assertEquals(1, r.cpu().numaNodes().size());
        assertEquals(Profile.DOMINANCE, r.reservation().profile());
        assertEquals(List.of(28, 29, 30, 31, 60, 61, 62, 63), r.reservation().engineCpus());
    }

    @Test
    void smallRamGetsTheSmallBridge() throws Exception {
        copy("laptop-8th-gen");
        write("proc/meminfo", "MemTotal:        3012345 kB\n");
        HostReport r = Auditor.audit(HostView.fixture(dir));
        assertEquals(Profile.LEAN, r.reservation().profile());
        assertEquals(128 * MIB, r.reservation().bridgeBytes());
    }

    @Test
    void anEmptyTreeDegradesToLeanAndShared() {
        HostReport r = Auditor.audit(HostView.fixture(dir));
        assertEquals(Profile.LEAN, r.reservation().profile());
        assertEquals(Mode.SHARED, r.reservation().mode());
        assertEquals(1, r.reservation().engineThreads());
        assertEquals(List.of(0), r.reservation().engineCpus());
        assertEquals(128 * MIB, r.reservation().bridgeBytes());
        assertEquals("none", r.features().cgroupVersion());
        assertEquals(0, r.memoryBytes());
        assertTrue(r.notEnforced().size() >= 15, r.notEnforced().toString());
        assertTrue(r.notEnforced().getFirst().startsWith("The host's CPUs could not be read"));
        assertTrue(r.notEnforced().contains("No cgroup hierarchy is mounted: components' CPU, memory and process"
                + " limits cannot be enforced, and idle services cannot be frozen."));
        assertTrue(ReportRenderer.text(r).contains("RAM"));
    }
}
