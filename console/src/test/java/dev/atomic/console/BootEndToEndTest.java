package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real boot: a Sovereign JVM, an Engine JVM, two component JVMs, shared memory between them. Kill each
 * component with SIGKILL and watch the Engine notice, restart it and the traffic resume; kill the Engine, then stop
 * the next one, and watch the warm standby take over each time while the components keep running; then stop Atomic and check it left nothing behind.
 */
class BootEndToEndTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final String PID = "pid (\\d+)";

    @TempDir
    Path home;

    @Test
    void bootKillRestartResumeAndShutDownCleanly() throws Exception {
        String instance = "test-e2e-" + ProcessHandle.current().pid();
        List<Long> pids = new ArrayList<>();
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            long sovereign = pid(atomic.await("Sovereign pid (\\d+)\\)", BOOT));
            atomic.await("carve .*(memory\\.min: Engines|memory NOT protected \\(.+\\)|no cgroups)", BOOT);
            long engine = pid(atomic.await("engine .* pid (\\d+), attached", BOOT));
            long echo = pid(atomic.await("services .*echo ready \\(" + PID, BOOT));
            long app = pid(atomic.await("dak .*demo-app ready \\(" + PID, BOOT));
            atomic.await("traffic .*first request answered through the Engine", BOOT);
            atomic.await("^ready in \\d+ ms", BOOT);
            // demo-app's manifest asks for a warm spare: started after the boot, sandboxed like it, waiting.
            long spare = pid(atomic.await("spares .*warm spares: demo-app is ready \\(pid (\\d+), \\d+ MiB RSS", BOOT));
            assertSpareLike(spare, app);
            pids.addAll(List.of(engine, echo, app, spare));
            assertMeasured(instance);
            assertCarved(instance, sovereign);

            assertBridgedAndConfined(instance, app, "dak/demo-app", "atomic-lanes-demo-app", "atomic-lanes-echo");
            assertBridgedAndConfined(instance, echo, "services/echo", "atomic-lanes-echo", "atomic-lanes-demo-app");
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);
            assertPoolNotMappedBy(engine);

            // The app dies: the Engine notices through the pidfd, reports it, and brings it back.
            kill9(atomic, app);
            String fault = atomic.await("FAULT demo-app \\(dak\\): process " + app + " is gone.*", RECOVERY).group();
            if (!fault.contains("killed by signal 9 (SIGKILL)")) {
                atomic.await("demo-app pid " + app + " was killed by signal 9 \\(SIGKILL\\)", RECOVERY);
            }
            long app2 = pid(atomic.await("demo-app \\(dak\\) is back: " + PID, RECOVERY));
            assertEquals(spare, app2, "demo-app did not come back as its warm spare");
            // Once it is up, another spare is made ready for the next time.
            long spare2 = pid(atomic.await("a warm spare for demo-app is ready \\(pid (\\d+), \\d+ MiB RSS", RECOVERY));
            assertSpareLike(spare2, app2);
            pids.add(spare2);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);

            // The service dies under load: calls in flight fail cleanly, then the traffic resumes.
            kill9(atomic, echo);
            atomic.await("FAULT echo \\(services\\): process " + echo + " is gone", RECOVERY);
            long echo2 = pid(atomic.await("echo \\(services\\) is back: " + PID, RECOVERY));
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);
            assertBridgedAndConfined(instance, echo2, "services/echo", "atomic-lanes-echo", "atomic-lanes-demo-app");
            pids.addAll(List.of(app2, echo2));

            // The Engine dies: the warm standby takes over the running components, which never stop.
            kill9(atomic, engine);
            long engine2 = pid(atomic.await("the Engine \\(pid " + engine + "\\) died .* the components kept running; "
                    + "the warm standby \\(pid (\\d+)\\) took over", RECOVERY));
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);
            // It stalls (stopped, as a stuck loop would look from outside): the watchdog sees no heartbeat.
            assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(engine2)).start().waitFor());
            atomic.await("the Engine \\(pid " + engine2 + "\\) stalled: no heartbeat", RECOVERY);
            long engine3 = pid(atomic.await("the warm standby \\(pid (\\d+)\\) took over", RECOVERY));
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);
            for (long survivor : List.of(app2, echo2)) {
                assertTrue(ProcessHandle.of(survivor).map(ProcessHandle::isAlive).orElse(false),
                        survivor + " did not survive the Engine's deaths");
            }
            pids.addAll(List.of(engine2, engine3));

            // SIGTERM, as systemd or Ctrl-C would: an orderly stop.
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), "Atomic did not stop:\n" + atomic.transcript());
            atomic.await("Atomic stopped: .*cgroup\\(s\\) removed, shared memory released", Duration.ofSeconds(5));
        }
        assertNothingLeftBehind(instance, pids);
    }

    /**
     * The Sovereign sits in its own group, the kernels' CPU weights make a busy Drivers &amp; Apps kernel yield
     * to the Engine and the services, and the Engines' memory is the last reclaimed (cgroup v1 or v2, whichever this
     * host has).
     */
    private static void assertCarved(String instance, long sovereign) throws IOException {
        if (!isRoot()) {
            return;
        }
        assertTrue(Files.readString(Path.of("/proc", Long.toString(sovereign), "cgroup"))
                .contains("/" + instance + "/sovereign"), "the Sovereign is not in its own group");
        Path v1 = Path.of("/sys/fs/cgroup/cpu", instance);
        Path v2 = Path.of("/sys/fs/cgroup", instance);
        Path v1Memory = Path.of("/sys/fs/cgroup/memory", instance);
        if (Files.exists(v1.resolve("dak/cpu.shares"))) {
            assertTrue(shares(v1.resolve("dak/cpu.shares")) < shares(v1.resolve("services/cpu.shares")));
            assertTrue(shares(v1.resolve("services/cpu.shares")) < shares(v1.resolve("engine/cpu.shares")));
        } else if (Files.exists(v2.resolve("dak/cpu.weight"))) {
            assertTrue(shares(v2.resolve("dak/cpu.weight")) < shares(v2.resolve("engine/cpu.weight")));
        }
        // Memory: the kernels reclaimed first on v1, the Engines protected outright on v2.
        if (Files.exists(v1Memory.resolve("dak/memory.soft_limit_in_bytes"))) {
            assertEquals(0, shares(v1Memory.resolve("dak/memory.soft_limit_in_bytes")));
            assertEquals(0, shares(v1Memory.resolve("services/memory.soft_limit_in_bytes")));
            assertTrue(shares(v1Memory.resolve("engine/memory.soft_limit_in_bytes")) > 1L << 60);
        } else if (Files.exists(v2.resolve("engine/memory.min"))) {
            assertTrue(shares(v2.resolve("engine/memory.min")) >= 256L << 20);
        }
    }

    private static long shares(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    /** The boot measured, in order, what it ran; {@code atomic measurements} prints it. */
    private void assertMeasured(String instance) {
        var log = new java.io.StringWriter();
        var cli = new picocli.CommandLine(new AtomicCli());
        cli.setOut(new java.io.PrintWriter(log, true));
        assertEquals(0, cli.execute("measurements", "--instance", instance, "--home", home.toString()));
        List<String> stages = log.toString().lines().filter(l -> l.matches("\\s+\\d+\\s+\\S.*"))
                .map(l -> l.trim().split("\\s+", 2)[1]).map(l -> l.replaceAll("\\s{2,}.*", "")).toList();
        assertEquals(List.of("sovereign", "manifest", "system", "engine", "component echo", "component demo-app"), stages,
                log.toString());
        assertTrue(log.toString().contains("final digest "), log.toString());
    }

    private static long pid(Matcher m) {
        return Long.parseLong(m.group(1));
    }

    private static void kill9(RunningAtomic atomic, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor(),
                () -> "could not kill " + pid + ":\n" + atomic.transcript());
    }

    /**
     * The component maps its own lane segment and no other, holds no socket (the data path is shared memory),
     * and runs inside its own cgroup.
     */
    private void assertBridgedAndConfined(String instance, long pid, String group, String own, String other)
            throws IOException {
        String maps = Files.readString(Path.of("/proc", Long.toString(pid), "maps"));
        assertTrue(maps.contains("memfd:" + own), pid + " does not map " + own);
        assertFalse(maps.contains(other), pid + " maps another component's lanes: " + other);
        assertFalse(maps.contains("atomic-control"), pid + " maps the Sovereign's control region");
        assertTrue(maps.contains("memfd:atomic-pool-demo-app-echo"), pid + " does not map its zero-copy pool");
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            List<String> sockets = fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    return "";
                }
            }).filter(target -> target.startsWith("socket:")).toList();
            assertEquals(List.of(), sockets, pid + " holds sockets");
        }
        List<String> argv = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
        String classPath = argv.get(argv.indexOf("-cp") + 1);
        for (String entry : classPath.split(":")) {
            assertTrue(entry.matches(Pattern.quote(home.resolve("deploy").toString()) + "/[^/]+/" + group + "/[^/]+"),
                    pid + " runs code from outside its deployed image (" + group + "): " + entry);
        }
        if (isRoot()) {
            String cgroups = Files.readString(Path.of("/proc", Long.toString(pid), "cgroup"));
            assertTrue(cgroups.contains("/" + instance + "/" + group), pid + " is not in " + group + ":\n" + cgroups);
        }
    }

    /**
     * A warm spare runs as the component does — same cgroup, same uid, a sandbox (namespaces) of its own, its image
     * and shared memory — and waits for its order blocked reading its standard input: idle, not spinning.
     */
    private void assertSpareLike(long spare, long component) throws IOException {
        String groups = Files.readString(Path.of("/proc", Long.toString(component), "cgroup"));
        assertEquals(groups, Files.readString(Path.of("/proc", Long.toString(spare), "cgroup")),
                "the spare is not in its component's cgroups");
        assertEquals(status(component, "Uid:"), status(spare, "Uid:"));
        for (String ns : List.of("user", "mnt", "pid", "ipc", "uts", "net")) {
            Path own = Path.of("/proc", Long.toString(spare), "ns", ns);
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns", ns)), Files.readSymbolicLink(own),
                    "the spare shares the host's " + ns + " namespace");
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc", Long.toString(component), "ns", ns)),
                    Files.readSymbolicLink(own), "the spare shares its component's " + ns + " namespace");
        }
        assertTrue(Files.readString(Path.of("/proc", Long.toString(spare), "maps")).contains("memfd:atomic-lanes-demo-app"),
                "the spare has not mapped its component's lanes");
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(spare), "task"))) {
            assertTrue(tasks.anyMatch(t -> {
                try {
                    return Files.readString(t.resolve("syscall")).startsWith("0 0x0 "); // read(0, …)
                } catch (IOException gone) {
                    return false;
                }
            }), "no thread of the spare " + spare + " waits reading its standard input");
        }
    }

    private static String status(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith(field)).findFirst().orElseThrow();
    }

    /** Only the two peers of a pool map it: the Engine checks references to it without ever seeing its bytes. */
    private static void assertPoolNotMappedBy(long pid) throws IOException {
        assertFalse(Files.readString(Path.of("/proc", Long.toString(pid), "maps")).contains("atomic-pool-"),
                pid + " maps a pool it is no party to");
    }

    private static void assertNothingLeftBehind(String instance, List<Long> pids) throws IOException {
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " survived");
            assertFalse(Files.exists(Path.of("/tmp/hsperfdata_" + System.getProperty("user.name"), Long.toString(pid))));
        }
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                assertFalse(Files.exists(h.resolve(instance)), "cgroup left behind: " + h.resolve(instance));
            }
        }
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup", instance)));
        try (Stream<Path> shm = Files.list(Path.of("/dev/shm"))) {
            assertEquals(List.of(), shm.filter(p -> p.getFileName().toString().contains("atomic")).toList());
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
