package dev.atomic.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/** {@code atomic boot} in a child JVM, with its output read line by line. */
final class RunningAtomic implements AutoCloseable {
    /**
     * How long a test waits for a boot's components: a few seconds on a quiet host, over a minute on two CPUs shared
     * with other builds (a clean-clone run at load 40-50 saw boots past 60 s).
     */
    static final Duration BOOT = Duration.ofSeconds(120);

    final String instance;
    final Process process;
    private final Path home;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = java.util.Collections.synchronizedList(new ArrayList<>());

    RunningAtomic(String instance, Path home, String... extra) throws IOException {
        this(System.getProperty("java.class.path"), instance, home, extra);
    }

    /** Atomic run from {@code classPath} rather than this JVM's own. */
    RunningAtomic(String classPath, String instance, Path home, String... extra) throws IOException {
        this.instance = instance;
        this.home = home;
        // JUnit makes it 0700; a home Atomic makes (0755) lets components, as nobody, reach their images.
        java.nio.file.Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString(
                "rwx--x--x"));
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-XX:-UsePerfData",
                "-cp", classPath, "dev.atomic.console.AtomicCli",
                "boot", "--instance", instance, "--home", home.toString()));
        command.addAll(List.of(extra));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    transcript.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** The next line matching, consuming the lines before it. */
    Matcher await(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = p.matcher(line);
                if (m.find()) {
                    return m;
                }
            } else if (!process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        return fail("no line matching /" + regex + "/ within " + timeout.toSeconds() + " s; output so far:\n"
                + transcript());
    }

    /** What Atomic printed, then each component's log: what a failing test needs to say why. */
    String transcript() {
        StringBuilder out = new StringBuilder();
        synchronized (transcript) {
            out.append(String.join("\n", transcript));
        }
        out.append("\n(").append(process.isAlive() ? "still running" : "exited with status " + process.exitValue())
                .append(")");
        Path logs = home.resolve("logs").resolve(instance);
        try (var files = java.nio.file.Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                out.append("\n--- ").append(log.getFileName()).append(" ---\n").append(java.nio.file.Files.readString(log));
            }
        } catch (IOException e) {
            out.append("\n(no component logs in ").append(logs).append(")");
        }
        return out.toString();
    }

    /**
     * SIGTERM, as systemd or kill would send it. Not {@code Process.destroy()}: that also closes our ends of the
     * pipes, and Atomic's last words would be lost.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Stops it if it runs; what a Sovereign killed outright left mounted for its instance is unmounted too. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            terminate();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        process.waitFor(20, TimeUnit.SECONDS);
        dev.atomic.sovereign.StateVolumes.unmountAllUnder(home.resolve("state").resolve(instance));
        dev.atomic.sovereign.StateVolumes.unmountAllUnder(home.resolve("mnt").resolve(instance)); // FUSE sessions
    }
}
