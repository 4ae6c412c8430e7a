package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * its cgroup, open {@code /dev/cpu/0/msr}, {@code /dev/mem}, {@code /dev/kvm}, mount, reach the host's loopback,
 * kill the Engine and the Sovereign and write outside its state directory. In its sandbox every attempt fails and the
 * system keeps running; the same component without a sandbox gets through, which shows the attempts are real.
 */
class SandboxEscapeTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static final Duration ATTACKS = Duration.ofSeconds(30);
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
