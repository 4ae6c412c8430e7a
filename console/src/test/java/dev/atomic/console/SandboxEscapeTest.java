package dev.atomic.console;

import dev.atomic.component.SandboxGrants;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.atomic.component.SandboxGrants;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 5's sandbox: a component tries to read another's memory ({@code /proc/<pid>/mem}, {@code process_vm_readv},
 * ptrace), the host's secrets ({@code /etc/shadow}, the signing key, the Vault, another component's lanes), to write
 * its cgroup, open {@code /dev/cpu/0/msr}, {@code /dev/mem}, {@code /dev/kvm}, mount, load a kernel module, reach the
 * host's loopback, kill the Engine and the Sovereign, fork-bomb, write outside its state directory and, last, eat
 * memory past its limit. In its sandbox every attempt fails, the system keeps running, and every attempt a seccomp
 * filter or a cgroup can see is a fault report naming it; the same component without a sandbox gets through, which
 * shows the attempts are real.
 */
class SandboxEscapeTest {
    private static final Duration BOOT = RunningAtomic.BOOT;
    private static final Duration ATTACKS = Duration.ofSeconds(30);
    /** The attempts a seccomp filter sees, with the call each is reported as. */
    private static final Map<String, String> REPORTED = Map.of("process_vm_readv", "process_vm_readv",
            "ptrace", "ptrace", "mount", "mount", "load-module", "init_module", "network", "socket",
            "signal-engine", "kill", "signal-sovereign", "kill");
    private static final Pattern RESULT = Pattern.compile("intruder: ([\\w-]+): (blocked|SUCCEEDED) \\((.*)\\)");

    @TempDir
    Path home;

    @Test
    void everyAttemptFailsInTheSandboxAndTheSystemKeepsRunning() throws Exception {
        String instance = "test-escape-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", IntruderSystems.NAME);
             ServerSocket hostLoopback = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            long sovereign = pid(atomic.await("Sovereign pid (\\d+)\\)", BOOT));
            String sandbox = atomic.await("^  sandbox .*", BOOT).group();
            assertFalse(sandbox.contains("not sandboxed"), "the test needs bubblewrap (./atomic test installs it as "
                    + "root; else: apt-get install bubblewrap):\n" + sandbox);
            long engine = pid(atomic.await("engine .* pid (\\d+), attached", BOOT));
            long echo = pid(atomic.await("services .*echo ready \\(pid (\\d+)\\)", BOOT));
            String dak = atomic.await("dak .*intruder ready \\(pid \\d+\\)", BOOT).group();
            long intruder = pid(Pattern.compile("intruder ready \\(pid (\\d+)\\)").matcher(dak).results().findFirst()
                    .orElseThrow());
            atomic.await("^ready in \\d+ ms", BOOT);
            assertTrue(sandbox.contains("a seccomp filter denies"), sandbox);
            for (long component : List.of(echo, intruder)) {
                assertTrue(Files.readString(Path.of("/proc", Long.toString(component), "status"))
                        .contains("Seccomp:\t2"), component + " runs without the seccomp filter bubblewrap installs");
            }

            List<Path> outside = List.of(home, image(), Path.of(System.getProperty("java.home")), Path.of("/"),
                    Path.of("/etc"));
            Map<String, String> results = attack(atomic, instance, sovereign, Map.of("victim", echo, "engine", engine,
                    "sovereign", sovereign), intruder, hostLoopback, outside);
            results.forEach((attack, outcome) -> assertTrue(outcome.startsWith("blocked")
                            || attack.equals("write-outside"),
                    attack + " got out of the sandbox: " + outcome + "\n" + atomic.transcript()));
            // Its /tmp is its own: a home under /tmp (as JUnit's is) is writable there, and nowhere else.
            for (Path dir : outside) {
                assertFalse(Files.exists(dir.resolve(Intruder.MARK)), "the intruder wrote into " + dir + ": "
                        + results.get("write-outside"));
            }
            hostLoopback.setSoTimeout(1);
            assertFalse(accepted(hostLoopback), "the intruder reached the host's loopback");

            for (long pid : List.of(sovereign, engine, echo, intruder)) {
                assertTrue(alive(pid), pid + " did not keep running:\n" + atomic.transcript());
            }
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", ATTACKS);
            assertEachReportableAttemptReported(atomic, instance, engine, sovereign);
            assertTrappedCallsOutliveTheEngine(atomic, instance, engine, sovereign);

            // Last, as it ends the intruder: eating memory until its cgroup's limit has the OOM killer kill it. Starved
            // of CPU (a loaded host, its kernel's low weight) it eats slowly enough for the leak detector to see its
            // resident memory climb and cut it off first: either is the attempt reported.
            Files.createFile(home.resolve("state").resolve(instance).resolve("intruder").resolve(Intruder.EAT_MEMORY));
            JsonNode oom = awaitReport(atomic, instance, r -> r.get("kind").asText().equals("MEMORY_LIMIT")
                    || r.get("kind").asText().equals("LEAK"));
            assertTrue(oom.get("evidence").asText().contains(oom.get("kind").asText().equals("LEAK") ? "leaking"
                    : "OOM killer"), oom.toString());
            atomic.await("intruder \\(dak\\) is back", ATTACKS);
            for (long pid : List.of(sovereign, echo)) {
                assertTrue(alive(pid), pid + " did not keep running:\n" + atomic.transcript());
            }
            assertTrue(faults(instance).stream().allMatch(r -> r.get("component").asText().equals("intruder")),
                    "a fault report against a component that did nothing wrong: " + faults(instance));
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), "Atomic did not stop:\n" + atomic.transcript());
        }
    }

    /** The control: without a sandbox, the same attempts get through (aimed at decoys where they would do harm). */
    @Test
    void withoutTheSandboxTheSameAttemptsGetThrough() throws Exception {
        String instance = "test-escape-c-" + ProcessHandle.current().pid();
        List<Process> decoys = new ArrayList<>();
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", IntruderSystems.NAME, "--no-sandbox");
             ServerSocket hostLoopback = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            long sovereign = pid(atomic.await("Sovereign pid (\\d+)\\)", BOOT));
            atomic.await("sandbox .* not sandboxed: asked not to \\(--no-sandbox\\)", BOOT);
            String dak = atomic.await("dak .*intruder ready \\(pid \\d+\\)", BOOT).group();
            long intruder = pid(Pattern.compile("intruder ready \\(pid (\\d+)\\)").matcher(dak).results().findFirst()
                    .orElseThrow());
            atomic.await("^ready in \\d+ ms", BOOT);
            for (int i = 0; i < 3; i++) {
                decoys.add(new ProcessBuilder("sleep", "600").start());
            }
            List<Path> outside = List.of(home, image());
            Map<String, String> results = attack(atomic, instance, sovereign, Map.of("victim", decoys.get(0).pid(),
                    "engine", decoys.get(1).pid(), "sovereign", decoys.get(2).pid()), intruder, hostLoopback, outside);
            for (Path dir : outside) {
                assertTrue(Files.exists(dir.resolve(Intruder.MARK)), "no mark in " + dir);
            }

            List<String> expected = new ArrayList<>(List.of("see-processes", "proc-mem", "process_vm_readv",
                    "ptrace", "signing-key", "vault", "lanes-of-another", "network", "signal-engine",
                    "signal-sovereign", "write-outside"));
            if (root()) {
                expected.addAll(List.of("shadow", "cgroup-write", "mount"));
                Map.of("msr", "/dev/cpu/0/msr", "dev-mem", "/dev/mem", "kvm", "/dev/kvm").forEach((attack, device) -> {
                    if (Files.exists(Path.of(device))) {
                        expected.add(attack);
                    }
                });
            }
            for (String attack : expected) {
                assertTrue(results.get(attack).startsWith("SUCCEEDED"), attack + " failed even without a sandbox: "
                        + results.get(attack) + "\n" + atomic.transcript());
            }
            assertTrue(decoys.get(1).waitFor(5, TimeUnit.SECONDS) && decoys.get(2).waitFor(5, TimeUnit.SECONDS),
                    "the decoys were not killed");
            atomic.terminate();
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), "Atomic did not stop:\n" + atomic.transcript());
        } finally {
            decoys.forEach(d -> d.toHandle().destroyForcibly());
        }
    }

    /**
     * Each attempt a seccomp filter can see is trapped, denied by the Engine and a POLICY report naming the intruder
     * and the call (signals with their target); each open of a host secret, raw device, the Vault or its cgroup's
     * files meets a decoy and is a POLICY report naming the path; the fork bomb is a PIDS_LIMIT report. Another
     * process's /proc/<pid>/mem is not reported: that pid does not exist in its pid namespace
     * (docs/security-model.md).
     */
    private void assertEachReportableAttemptReported(RunningAtomic atomic, String instance, long engine,
                                                     long sovereign) throws Exception {
        for (Map.Entry<String, String> e : REPORTED.entrySet()) {
            JsonNode r = awaitReport(atomic, instance, n -> n.get("kind").asText().equals("POLICY")
                    && n.get("attempt").asText().equals(e.getValue()));
            assertEquals(e.getValue().equals("socket") ? "EACCES" : "EPERM", r.get("facts").get("errno").asText(),
                    e.getKey() + ": " + r);
        }
        Map<String, String> tripped = new java.util.TreeMap<>(Map.of("shadow", "/etc/shadow", "dev-mem", "/dev/mem",
                "kvm", "/dev/kvm", "msr", "/dev/cpu/0/msr", "signing-key",
                home.resolve("keys").resolve("local.key").toString(), "vault", home.resolve("vault").toString()));
        for (Map.Entry<String, String> e : tripped.entrySet()) {
            JsonNode r = awaitReport(atomic, instance, n -> n.get("attempt").asText().equals("open " + e.getValue())
                    && n.get("facts").get("path").asText().equals(e.getValue()));
            assertEquals("EPERM", r.get("facts").get("errno").asText(), e.getKey() + ": " + r);
        }
        awaitReport(atomic, instance, n -> n.get("attempt").asText().startsWith("open ")
                && n.get("facts").get("path").asText().matches("/sys/fs/cgroup/.*/intruder/cgroup\\.procs"));
        for (long target : List.of(engine, sovereign)) {
            awaitReport(atomic, instance, n -> n.get("attempt").asText().equals("kill")
                    && n.get("facts").get("args").get(0).asText().equals("0x" + Long.toHexString(target)));
        }
        JsonNode bomb = awaitReport(atomic, instance, n -> n.get("kind").asText().equals("PIDS_LIMIT"));
        assertTrue(bomb.get("facts").get("refused").asLong() > 0, bomb.toString());
        JsonNode disk = awaitReport(atomic, instance, n -> n.get("kind").asText().equals("DISK_LIMIT"));
        assertTrue(disk.get("facts").get("totalBytes").asLong() <= SandboxGrants.DEFAULT_STATE_BYTES, disk.toString());
    }

    /**
     * Kills the Engine: the standby takes over, takes each component's seccomp listener from the Sovereign's copy,
     * and decides the intruder's next trapped call (EPERM and a report) rather than let it fail with ENOSYS.
     */
    private void assertTrappedCallsOutliveTheEngine(RunningAtomic atomic, String instance, long engine, long sovereign)
            throws Exception {
        said(atomic, "the standby Engine \\(pid \\d+\\) is warm and waiting");
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(engine)).start().waitFor());
        said(atomic, "took over after the previous Engine's death: .* 3 seccomp listener\\(s\\) taken from the "
                + "Sovereign");
        Path state = home.resolve("state").resolve(instance).resolve("intruder");
        Files.writeString(state.resolve("probe.tmp"), Long.toString(sovereign));
        Files.move(state.resolve("probe.tmp"), state.resolve(Intruder.AFTER_FAILOVER));
        Path log = home.resolve("logs").resolve(instance).resolve("intruder.log");
        long end = System.nanoTime() + ATTACKS.toNanos();
        while (!Files.readString(log).contains("intruder: after-failover: ")) {
            assertTrue(System.nanoTime() < end, "the intruder did not probe after the failover:\n" + atomic.transcript());
            Thread.sleep(50);
        }
        assertTrue(Files.readString(log).contains("intruder: after-failover: kill errno 1\n"),
                "its trapped call after the failover was not decided (EPERM):\n" + Files.readString(log));
        awaitReport(atomic, instance, n -> n.get("attempt").asText().equals("kill")
                && n.get("facts").get("args").get(0).asText().equals("0x" + Long.toHexString(sovereign))
                && n.get("facts").get("args").get(1).asText().equals("0x0"));
    }

    /** Waits until Atomic has said something matching {@code regex}, at any time since it started. */
    private static void said(RunningAtomic atomic, String regex) throws Exception {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + BOOT.toNanos();
        while (!p.matcher(atomic.transcript()).find()) {
            assertTrue(System.nanoTime() < end, "never said /" + regex + "/:\n" + atomic.transcript());
            Thread.sleep(100);
        }
    }

    /** The first of the intruder's reports in {@code atomic faults --json} that {@code wanted} matches. */
    private JsonNode awaitReport(RunningAtomic atomic, String instance, java.util.function.Predicate<JsonNode> wanted)
            throws Exception {
        long end = System.nanoTime() + ATTACKS.toNanos();
        while (System.nanoTime() < end) {
            for (JsonNode r : faults(instance)) {
                if (r.get("component").asText().equals("intruder") && wanted.test(r)) {
                    return r;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such fault report: " + faults(instance) + "\n" + atomic.transcript());
    }

    private List<JsonNode> faults(String instance) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new AtomicCli());
        cli.setOut(new java.io.PrintWriter(out, true));
        assertEquals(0, cli.execute("faults", "--json", "--home", home.toString(), "--instance", instance));
        List<JsonNode> reports = new ArrayList<>();
        new ObjectMapper().readTree(out.toString()).forEach(reports::add);
        return reports;
    }

    /**
     * Tells the intruder where to aim (through its state directory, the one place of the host it can see) and reads
     * each attack's outcome from its log.
     */
    private Map<String, String> attack(RunningAtomic atomic, String instance, long sovereign, Map<String, Long> pids,
                                       long intruder, ServerSocket hostLoopback, List<Path> writeTo) throws Exception {
        Path state = home.resolve("state").resolve(instance).resolve("intruder");
        Properties targets = new Properties();
        pids.forEach((k, v) -> targets.setProperty(k, Long.toString(v)));
        targets.setProperty("lanes", lanesOf(sovereign, "echo").toString());
        targets.setProperty("key", home.resolve("keys").resolve("local.key").toString());
        targets.setProperty("vault", home.resolve("vault").toString());
        targets.setProperty("cgroup", cgroupProcs(intruder).toString());
        targets.setProperty("port", Integer.toString(hostLoopback.getLocalPort()));
        targets.setProperty("write-to", String.join(",", writeTo.stream().map(Path::toString).toList()));
        Path staged = state.resolveSibling("targets.tmp");
        try (var out = Files.newBufferedWriter(staged)) {
            targets.store(out, null);
        }
        Files.move(staged, state.resolve(Intruder.TARGETS));

        Path log = home.resolve("logs").resolve(instance).resolve("intruder.log");
        long end = System.nanoTime() + ATTACKS.toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("intruder: done"))) {
            if (System.nanoTime() > end) {
                fail("the intruder did not finish within " + ATTACKS.toSeconds() + " s:\n" + atomic.transcript());
            }
            Thread.sleep(50);
        }
        Map<String, String> results = new TreeMap<>();
        for (Matcher m = RESULT.matcher(Files.readString(log)); m.find(); ) {
            results.put(m.group(1), m.group(2) + " (" + m.group(3) + ")");
        }
        assertEquals(new java.util.TreeSet<>(Intruder.ATTACKS), results.keySet(), "attacks reported:\n"
                + atomic.transcript());
        assertTrue(Files.readString(state.resolve(Intruder.PROOF)).startsWith("written from pid "),
                "the intruder could not write its own state directory");
        return results;
    }

    /** The intruder's deployed image. */
    private Path image() throws IOException {
        try (Stream<Path> releases = Files.list(home.resolve("deploy"))) {
            return releases.filter(Files::isDirectory).map(r -> r.resolve("dak/intruder")).filter(Files::isDirectory)
                    .findFirst().orElseThrow();
        }
    }

    /** Where the Sovereign holds a component's lane segment: {@code /proc/<sovereign>/fd/<n>}. */
    private static Path lanesOf(long sovereign, String component) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(sovereign), "fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("/memfd:atomic-lanes-" + component + " ");
                } catch (IOException gone) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new AssertionError("the Sovereign holds no lane segment of " + component));
        }
    }

    /** The cgroup.procs file of the process's own group (its pids group on v1, its group on v2). */
    private static Path cgroupProcs(long pid) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f[1].equals("pids")) {
                return Path.of("/sys/fs/cgroup/pids" + f[2], "cgroup.procs");
            }
        }
        return Path.of("/sys/fs/cgroup" + lines.getLast().split(":", 3)[2], "cgroup.procs");
    }

    private static boolean accepted(ServerSocket server) {
        try (var ignored = server.accept()) {
            return true;
        } catch (IOException timedOut) {
            return false;
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static long pid(java.util.regex.MatchResult m) {
        return Long.parseLong(m.group(1));
    }
}
