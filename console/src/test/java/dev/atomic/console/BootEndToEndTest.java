package dev.atomic.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real boot of the default system: a Sovereign JVM, an Engine JVM, component JVMs, shared memory between them.
 * Kill each component with SIGKILL and watch the Engine notice, restart it and the traffic resume; kill the Engine,
 * then stop the next one, and watch the warm standby take over each time while the components keep running; ask the
 * console service for status, top and faults and inject a crash through it; then stop Atomic and check it left
 * nothing behind.
 */
class BootEndToEndTest {
    private static final Duration BOOT = RunningAtomic.BOOT;
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    private static final String PID = "pid (\\d+)";

    @TempDir
    Path home;

    @Test
    void bootKillRestartResumeAndShutDownCleanly() throws Exception {
        String instance = "test-e2e-" + ProcessHandle.current().pid();
        List<ProcessHandle> pids = new ArrayList<>();
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            long sovereign = pid(atomic.await("Sovereign pid (\\d+)\\)", BOOT));
            atomic.await("carve .*(memory\\.min: Engines|memory NOT protected \\(.+\\)|no cgroups)", BOOT);
            long engine = pid(atomic.await("engine .* pid (\\d+), attached", BOOT));
            long echo = pid(atomic.await("services .*echo ready \\(" + PID, BOOT));
            String dak = atomic.await("dak .*demo-app ready \\(pid \\d+.*", BOOT).group();
            long app = readyPid(dak, "demo-app");
            long fs = readyPid(dak, "fs");
            atomic.await("traffic .*answered through the Engine", BOOT); // or "while the kernels started", on a loaded host
            atomic.await("console .*answered the first 'atomic status' through the Engine", BOOT);
            atomic.await("^ready in \\d+ ms, console answering", BOOT);
            // demo-app's manifest asks for a warm spare: started after the boot, sandboxed like it, waiting.
            long spare = pid(atomic.await("spares .*warm spares: demo-app is ready \\(pid (\\d+), \\d+ MiB RSS", BOOT));
            assertSpareLike(spare, app);
            watch(pids, engine, echo, app, spare);
            // The spares' thread makes the components' AOT caches next, then the Engine's, at low priority beside the
            // standby Engine's start and rehearsal: a new spare waits for it (eight of them, on a loaded host minutes).
            atomic.await("aot +[\\d.]+ ms .*; Engine \\d+ MiB \\(made and accepted", BOOT.multipliedBy(3));
            assertMeasured(instance);
            assertCarved(instance, sovereign);

            assertBridgedAndConfined(instance, app, "dak/demo-app", "atomic-lanes-demo-app", "atomic-lanes-echo");
            assertBridgedAndConfined(instance, echo, "services/echo", "atomic-lanes-echo", "atomic-lanes-demo-app");
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);
            assertPoolNotMappedBy(engine);

            // The app dies: the Engine notices through its host lock, which the kernel releases before the pidfd is
            // readable, reports it, and brings it back.
            kill9(atomic, app);
            String fault = atomic.await("FAULT demo-app \\(dak\\): process " + app + " is gone.*", RECOVERY).group();
            assertTrue(fault.contains("(seen by the release of its host lock"), fault);
            if (!fault.contains("killed by signal 9 (SIGKILL)")) {
                atomic.await("demo-app pid " + app + " was killed by signal 9 \\(SIGKILL\\)", RECOVERY);
            }
            long app2 = pid(atomic.await("demo-app \\(dak\\) is back: " + PID, RECOVERY));
            assertEquals(spare, app2, "demo-app did not come back as its warm spare");
            // Once it is up, another spare is made ready for the next time.
            long spare2 = pid(atomic.await("a warm spare for demo-app is ready \\(pid (\\d+), \\d+ MiB RSS", RECOVERY));
            assertSpareLike(spare2, app2);
            watch(pids, spare2);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);

            // The service dies under load: calls in flight fail cleanly, then the traffic resumes.
            kill9(atomic, echo);
            atomic.await("FAULT echo \\(services\\): process " + echo + " is gone", RECOVERY);
            long echo2 = pid(atomic.await("echo \\(services\\) is back: " + PID, RECOVERY));
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);
            assertBridgedAndConfined(instance, echo2, "services/echo", "atomic-lanes-echo", "atomic-lanes-demo-app");
            watch(pids, app2, echo2);
            // Its pidfd told of the same death seconds ago: dropped, not a second restart.
            assertEquals(1, atomic.transcript().lines().filter(l -> l.contains("restarting demo-app (dak)")).count(),
                    atomic.transcript());

            // The file system driver dies while demo-app writes files into its mount and reads them back: the mount
            // stays, the write under way waits for the restarted driver, and demo-app sees no error.
            Path appLog = home.resolve("logs").resolve(instance).resolve("demo-app.log");
            int roundsBefore = fileRounds(appLog).size();
            kill9(atomic, fs);
            atomic.await("FAULT fs \\(dak\\): process " + fs + " is gone", RECOVERY);
            long fs2 = pid(atomic.await("fs \\(dak\\) is back: " + PID, RECOVERY));
            watch(pids, fs2);
            long deadline = System.nanoTime() + RECOVERY.toNanos();
            while (fileRounds(appLog).size() < roundsBefore + 2 && System.nanoTime() < deadline) {
                Thread.sleep(200); // the round the driver died in, and one whole round after it came back
            }
            List<String> rounds = fileRounds(appLog);
            assertTrue(rounds.size() >= roundsBefore + 2, "demo-app logged no file round after fs came back: " + rounds);
            assertTrue(rounds.stream().anyMatch(r -> r.matches("demo-app: fs: [1-9]\\d* file\\(s\\) of 256 KiB written "
                    + "and [1-9]\\d* read back intact in /mnt/fs/demo-app, 0 error\\(s\\)")), String.join("\n", rounds));
            List<String> errors = Files.readAllLines(appLog).stream().filter(l -> l.startsWith("demo-app: fs: ")
                    && !l.endsWith(", 0 error(s)")).toList();
            assertEquals(List.of(), errors, "demo-app saw the file system driver's death");

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
            watch(pids, engine2, engine3);

            watch(pids, assertConsole(atomic, instance, app2));

            // SIGTERM, as systemd or Ctrl-C would: an orderly stop.
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), "Atomic did not stop:\n" + atomic.transcript());
            atomic.await("Atomic stopped: .*cgroup\\(s\\) removed, shared memory released", Duration.ofSeconds(5));
        }
        assertNothingLeftBehind(instance, pids);
        Cli stopped = cli("status", "--instance", instance, "--home", home.toString());
        assertEquals(1, stopped.status());
        assertTrue(stopped.err().contains("instance '" + instance + "' is not running"), stopped.err());
    }

    /** The pid the boot report's kernel line gives {@code component}. */
    private static long readyPid(String line, String component) {
        Matcher m = Pattern.compile("[ ,]" + Pattern.quote(component) + " ready \\(" + PID).matcher(line);
        assertTrue(m.find(), component + " is not ready in: " + line);
        return Long.parseLong(m.group(1));
    }

    /** demo-app's rounds of files written into the fs driver's mount and read back (MountJournal). */
    private static List<String> fileRounds(Path log) throws IOException {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith("demo-app: fs: ")
                && l.contains(" read back intact in ")).toList() : List.of();
    }

    private record Cli(int status, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    private static Cli cli(String... args) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        var cli = new picocli.CommandLine(new AtomicCli());
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        return new Cli(cli.execute(args), out.toString(), err.toString());
    }

    /**
     * atomic status, top, faults and inject through the console service (docs/console.md): every component is
     * listed; an injected crash is the Engine's SIGKILL, audited, and comes back as a fault report naming the
     * component, which is back; the console may not reach what its manifest does not grant. Returns the new pid.
     */
    private long assertConsole(RunningAtomic atomic, String instance, long app) throws Exception {
        String[] where = {"--instance", instance, "--home", home.toString()};
        Cli status = cli(with(where, "status", "--json"));
        assertEquals(0, status.status(), status.err());
        Map<String, JsonNode> components = new HashMap<>();
        Map<String, String> kernels = new HashMap<>();
        for (JsonNode kernel : status.json().path("kernels")) {
            for (JsonNode c : kernel.path("components")) {
                components.put(c.path("id").asText(), c);
                kernels.put(c.path("id").asText(), kernel.path("kernel").asText());
            }
        }
        assertEquals(Map.of("echo", "services", "console", "services", "digest", "services", "demo-app", "dak",
                "fs", "dak", "input", "dak", "sensor", "dak"), kernels, status.out());
        assertEquals(app, components.get("demo-app").path("pid").asLong(), status.out());
        assertEquals(2, components.get("demo-app").path("tier").asInt(), status.out());
        assertTrue(components.get("demo-app").path("rssBytes").asLong() > 0, status.out());
        assertTrue(components.get("digest").path("state").asText().startsWith("on demand"), status.out());

        Cli top = cli(with(where, "top", "--iterations", "1", "--json"));
        assertEquals(0, top.status(), top.err());
        assertEquals(1, top.out().lines().count(), "one JSON line per refresh: " + top.out());
        assertEquals(7, top.json().path("components").size(), top.out());

        Cli inject = cli(with(where, "inject", "demo-app", "crash", "--json"));
        assertEquals(0, inject.status(), inject.out() + inject.err());
        assertTrue(inject.json().path("done").asBoolean(), inject.out());
        assertTrue(inject.json().path("message").asText().contains("killed demo-app (dak) (pid " + app + ") with SIGKILL"),
                inject.out());
        atomic.await("FAULT demo-app \\(dak\\): process " + app + " is gone", RECOVERY);
        long back = pid(atomic.await("demo-app \\(dak\\) is back: " + PID, RECOVERY));
        JsonNode fault = null;
        long giveUp = System.nanoTime() + RECOVERY.toNanos();
        while (fault == null && System.nanoTime() < giveUp) {
            Cli faults = cli(with(where, "faults", "--json"));
            assertEquals(0, faults.status(), faults.err());
            for (JsonNode f : faults.json().path("faults")) {
                if (f.path("component").asText().equals("demo-app") && f.path("injected").asText().equals("crash")
                        && f.path("kind").asText().equals("CRASH") && f.path("back").asBoolean()) {
                    fault = f;
                }
            }
            Thread.sleep(200);
        }
        assertTrue(fault != null, "no CRASH of demo-app, back, among the console's faults:\n"
                + cli(with(where, "faults", "--json")).out());
        assertEquals(back, fault.path("pidAfter").asLong(), fault.toString());
        assertTrue(fault.path("evidence").asText().contains("process " + app + " is gone"), fault.toString());
        JsonNode again = null;
        for (JsonNode kernel : cli(with(where, "status", "--json")).json().path("kernels")) {
            for (JsonNode c : kernel.path("components")) {
                again = c.path("id").asText().equals("demo-app") ? c : again;
            }
        }
        assertEquals(back, again.path("pid").asLong(), "demo-app is back as " + back + ": " + again);

        Cli refused = cli(with(where, "inject", "console", "crash"));
        assertEquals(1, refused.status(), refused.out());
        assertTrue(refused.out().contains("console's manifest does not grant it"), refused.out());
        String audit = audited(instance, "\"kind\":\"inject-refused\"");
        assertTrue(audit.contains("\"component\":\"console\",\"kind\":\"inject\",\"detail\":\"console orders a crash "
                + "of demo-app (dak), pid " + app + "\""), audit);
        assertTrue(audit.contains("\"kind\":\"inject-refused\",\"detail\":\"inject crash into console refused"), audit);
        assertTrue(audit.contains("\"kind\":\"console-request\""), audit);
        return back;
    }

    /** audit.jsonl once it holds {@code text}: the Engine flushes it once per report period. */
    private String audited(String instance, String text) throws Exception {
        Path file = home.resolve("logs").resolve(instance).resolve("audit.jsonl");
        long giveUp = System.nanoTime() + RECOVERY.toNanos();
        String audit = Files.readString(file);
        while (!audit.contains(text) && System.nanoTime() < giveUp) {
            Thread.sleep(200);
            audit = Files.readString(file);
        }
        return audit;
    }

    private static String[] with(String[] where, String... args) {
        return Stream.concat(Stream.of(args), Stream.of(where)).toArray(String[]::new);
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
        assertEquals(List.of("sovereign", "manifest", "system", "engine", "component console", "component digest",
                "component echo", "component demo-app", "component fs", "component input", "component sensor"), stages,
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

    /**
     * Handles, not pids: a handle knows its process's start time, so a pid the kernel gave to another process since
     * (pid_max is 32768 here, and a loaded host wraps it within a run) is not taken for a survivor.
     */
    private static void watch(List<ProcessHandle> processes, long... pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(processes::add);
        }
    }

    private static void assertNothingLeftBehind(String instance, List<ProcessHandle> processes) throws IOException {
        for (ProcessHandle p : processes) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " survived");
            if (ProcessHandle.of(p.pid()).isEmpty()) { // else the pid is another process's now, perhaps a JVM's
                assertFalse(Files.exists(Path.of("/tmp/hsperfdata_" + System.getProperty("user.name"),
                        Long.toString(p.pid()))));
            }
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
