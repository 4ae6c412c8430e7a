package dev.atomic.system.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The background step joins the group its environment names before the command runs, and runs it without one. */
class BackgroundTest {
    @TempDir
    Path dir;

    private static Process start(String procs, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Background.command(List.of(command)));
        pb.environment().put(Background.ENV, procs);
        return pb.redirectErrorStream(true).start();
    }

    @Test
    void theCommandIsInTheGroupBeforeItRuns() throws Exception {
        Path procs = Files.createFile(dir.resolve("cgroup.procs"));
        Path other = Files.createFile(dir.resolve("other.procs"));
        Process p = start(procs + " " + other, "cat", procs.toString());
        String said = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor());
        assertEquals(Long.toString(p.pid()), said, "the command's own pid, written before it ran");
        assertEquals(Long.toString(p.pid()), Files.readString(other).strip(), "each file named (v1: one per hierarchy)");
    }

    @Test
    void withoutAGroupItRunsAnyway() throws Exception {
        Process none = start("", "echo", "ran");
        assertEquals("ran", new String(none.getInputStream().readAllBytes()).strip());
        assertEquals(0, none.waitFor());
        Process unwritable = start(dir.resolve("missing/cgroup.procs").toString(), "echo", "ran");
        assertEquals("ran", new String(unwritable.getInputStream().readAllBytes()).strip());
        assertEquals(0, unwritable.waitFor());
    }
}
