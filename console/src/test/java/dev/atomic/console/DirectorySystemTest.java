package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code atomic boot --system <directory>}: the manifests, and the jar one of them names, become files of a signed
 * release; every process reads the deployed, audited copy; an altered deployed file is repaired from the Vault; a
 * manifest changed in the directory makes a new release on the next boot. A component in C, written from
 * docs/bridge-protocol.md alone ({@code src/test/c/echo.c}), runs from an executable image in the same sandbox and
 * cgroup as a Java one and is supervised like one.
 */
class DirectorySystemTest {
    private static final Duration BOOT = RunningAtomic.BOOT;
    private static final String ECHO = """
            id = "echo"
            kernel = "services"
            kind = "service"
            version = "0.1.0"

            [image]
            class = "dev.atomic.demo.EchoService"

            [[provides]]
            service = "echo"
            version = 1
            """;

    @TempDir
    Path home;
    @TempDir
    Path work;

    @Test
    void aDirectorySystemIsReleasedThroughTheVault_andAJarComponentRunsFromIt() throws Exception {
        Path system = Files.createDirectories(work.resolve("jarred"));
        Files.writeString(system.resolve("echo.toml"), ECHO);
        Files.writeString(system.resolve("demo-app.toml"), DirectorySystems.DEMO_APP);
        DirectorySystems.demoAppJar(system);
        String instance = "test-dir-" + ProcessHandle.current().pid();
        String release;
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", system.toString())) {
            release = atomic.await("made release '(jarred-\\S+)' from the installation and the manifests in "
                    + Pattern.quote(system.toString()), BOOT).group(1);
            long engine = Long.parseLong(atomic.await("engine .* pid (\\d+), attached", BOOT).group(1));
            long app = Long.parseLong(atomic.await("dak .*demo-app ready \\(pid (\\d+)", BOOT).group(1));
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);
            // Each process reads its own image's copy of the manifests, never the directory.
            Path root = home.resolve("deploy").resolve(release).toRealPath();
            assertTrue(cmdline(engine).contains(root.resolve("engine/@system/jarred").toString()), cmdline(engine));
            assertTrue(cmdline(app).contains(root.resolve("dak/demo-app/@system/jarred").toString()), cmdline(app));
            stop(atomic);
        }
        Path root = home.resolve("deploy").resolve(release);
        // The demo app's image is its jar and the component host's image: no class of the demo module besides.
        try (Stream<Path> files = Files.walk(root.resolve("dak/demo-app"))) {
            assertEquals(java.util.List.of(root.resolve("dak/demo-app/demo-app.jar")), files
                    .filter(f -> f.getFileName().toString().contains("demo") && !f.toString().contains("/@system/"))
                    .filter(Files::isRegularFile).toList());
        }

        flipBit(root.resolve("dak/demo-app/demo-app.jar"));
        flipBit(root.resolve("services/echo/@system/jarred/echo.toml"));
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", system.toString())) {
            atomic.await("vault .*release '" + release + "'.*2 repaired, 0 unrepairable", BOOT);
            atomic.await("repaired +dak/demo-app/demo-app.jar \\(demo-app\\): altered", BOOT);
            atomic.await("repaired +services/echo/@system/jarred/echo.toml \\(echo\\): altered", BOOT);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);
            stop(atomic);
        }

        Files.writeString(system.resolve("echo.toml"), ECHO.replace("0.1.0", "0.1.1"));
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", system.toString())) {
            String next = atomic.await("made release '(jarred-\\S+)' from the installation", BOOT).group(1);
            assertNotEquals(release, next);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);
            stop(atomic);
            assertTrue(Files.readString(home.resolve("deploy").resolve(next).resolve("engine/@system/jarred/echo.toml"))
                    .contains("0.1.1"));
        }
    }

    @Test
    void anExecutableInCServesAJavaCaller_andIsRestartedWhenKilled() throws Exception {
        Optional<Path> gcc = Stream.of(System.getenv("PATH").split(":")).map(d -> Path.of(d, "gcc"))
                .filter(Files::isExecutable).findFirst();
        assumeTrue(gcc.isPresent(), "gcc is not installed: the C component cannot be built (apt-get install gcc)");
        Path system = Files.createDirectories(work.resolve("in-c"));
        Process cc = new ProcessBuilder(gcc.get().toString(), "-O2", "-Wall", "-o", system.resolve("echo-c").toString(),
                Path.of("src/test/c/echo.c").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String ccOutput = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cc.waitFor(), "gcc failed:\n" + ccOutput);
        Files.writeString(system.resolve("echo.toml"), ECHO.replace("class = \"dev.atomic.demo.EchoService\"",
                "exec = \"echo-c\"\nargs = [\"--from-the-manifest\", \"--try-mount\"]"));
        Files.writeString(system.resolve("demo-app.toml"), DirectorySystems.DEMO_APP);
        DirectorySystems.demoAppJar(system);
        String instance = "test-exec-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", system.toString())) {
            String release = atomic.await("made release '(in-c-\\S+)' from the installation", BOOT).group(1);
            String sandbox = atomic.await("sandbox .*", BOOT).group();
            long echo = Long.parseLong(atomic.await("services .*echo ready \\(pid (\\d+)", BOOT).group(1));
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);
            Path root = home.resolve("deploy").resolve(release).toRealPath();
            // The program itself, no JVM, from the release, with the manifest's arguments then the Sovereign's.
            assertEquals(root.resolve("services/echo/@exec/echo-c"), Path.of("/proc/" + echo + "/exe").toRealPath());
            assertTrue(cmdline(echo).startsWith(root.resolve("services/echo/@exec/echo-c") + " --from-the-manifest "
                    + "--try-mount /proc/self/fd/3 echo "), cmdline(echo));
            String status = Files.readString(Path.of("/proc/" + echo + "/status"));
            if (sandbox.contains("each component in a bubblewrap sandbox")) {
                assertTrue(status.matches("(?s).*\\nNSpid:\\s+" + echo + "\\s+1\\n.*"), "pid 1 of its own namespace:\n"
                        + status);
                assertTrue(status.matches("(?s).*\\nUid:\\s+65534\\s.*"), status);
            }
            Path logs = home.resolve("logs").resolve(instance);
            assertTrue(Files.readString(logs.resolve("echo.log")).contains("echo: serving echo v1 in C"),
                    atomic.transcript());
            if (sandbox.contains("a seccomp filter denies")) {
                // Both layers, as a JVM has: its trampoline loaded the second and the Engine answers its listener,
                // so its mount is refused by the Engine (EPERM, reported), not by the first layer alone (ENOSYS).
                assertTrue(status.matches("(?s).*\\nSeccomp:\\s+2\\n.*"), status);
                assertTrue(status.matches("(?s).*\\nSeccomp_filters:\\s+2\\n.*"), status);
                assertTrue(Files.readString(logs.resolve("echo.log")).contains("echo: mount: Operation not permitted"),
                        Files.readString(logs.resolve("echo.log")));
                assertTrue(policyReport(logs.resolve("faults.jsonl"), "echo", "mount"), atomic.transcript());
            }

            ProcessHandle.of(echo).orElseThrow().destroyForcibly();
            atomic.await("FAULT echo \\(services\\): process " + echo + " is gone", BOOT);
            long again = Long.parseLong(atomic.await("echo \\(services\\) is back: pid (\\d+)", BOOT).group(1));
            assertNotEquals(echo, again);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);

            // Its program replaced while it runs (a running program cannot be written): the next start is refused.
            Path program = root.resolve("services/echo/@exec/echo-c");
            Path altered = program.resolveSibling("altered");
            Files.copy(program, altered, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            flipBit(altered);
            Files.move(altered, program, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ProcessHandle.of(again).orElseThrow().destroyForcibly();
            atomic.await("could not start echo \\(services\\): its program services/echo/@exec/echo-c hashes to \\S+, "
                    + "release '" + release + "' says \\S+: it changed since the boot audit and is not started", BOOT);
            stop(atomic);
            // Every answer was right: plain ones and those whose text was lent in a pool buffer.
            String app = Files.readString(logs.resolve("demo-app.log"));
            assertFalse(app.contains("wrong answer") || app.contains("no buffer pool") || app.contains("was lent"),
                    app);
        }
    }

    /** Whether a POLICY report of {@code component}'s {@code attempt} is filed, within 30 s. */
    private static boolean policyReport(Path faults, String component, String attempt) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (Files.exists(faults)) {
                for (String line : Files.readAllLines(faults)) {
                    var r = json.readTree(line);
                    if (r.path("component").asText().equals(component) && r.path("kind").asText().equals("POLICY")
                            && r.path("attempt").asText().equals(attempt)) {
                        return true;
                    }
                }
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String cmdline(long pid) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ');
    }

    static void stop(RunningAtomic atomic) throws Exception {
        atomic.terminate();
        assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), "Atomic did not stop:\n" + atomic.transcript());
        atomic.await("Atomic stopped: ", Duration.ofSeconds(5));
    }

    private static void flipBit(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        var perms = Files.getPosixFilePermissions(file);
        file.toFile().setWritable(true, true);
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, perms);
    }
}
