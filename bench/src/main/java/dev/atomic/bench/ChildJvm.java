package dev.atomic.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM of one run (a server, a client, a measured boot's Sovereign): same Java and class path as the harness. */
final class ChildJvm implements AutoCloseable {
    /**
     * What every Atomic JVM gets (FFM, Agrona), and the serial collector Atomic's processes use: no concurrent GC
     * threads competing for two cores. The same for every path, so none is favoured.
     */
    private static final List<String> FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-XX:-UsePerfData", "-XX:+UseSerialGC");
    private static final String END = "\0end";

    private final String role;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** Every line it printed, consumed or not. */
    private final List<String> transcript = new ArrayList<>();

    private ChildJvm(String role, Process process) {
        this.role = role;
        this.process = process;
        Thread.ofVirtual().start(this::pump);
    }

    /** Standard error goes to ours, so a child's stack trace reaches the user. */
    /**
     * With the Engine's learned policies off (the fixed heuristics only): a benchmark of a mechanism (a restart, a
     * failover, an idle service) must not measure policy 2's first training, tens of seconds of CPU two minutes into
     * a fresh home. The policy benchmarks, and the storm benchmark's adaptive coalescing, pass their own.
     */
    static ChildJvm start(List<String> args) throws IOException {
        return start(args, java.util.Map.of(POLICIES_SWITCH, "off"));
    }

    /** The Engine's switch for its learned policies (PolicyLoop.SWITCH). */
    static final String POLICIES_SWITCH = "ATOMIC_ENGINE_POLICIES";

    /** With {@code env} added to ours: what the Sovereign, and so the Engine, inherits. */
    static ChildJvm start(List<String> args, java.util.Map<String, String> env) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchChild.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process p = builder.redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        return new ChildJvm(args.getFirst(), p);
    }

    /** Any command, read the same way: {@code role} names it in errors. */
    static ChildJvm command(String role, List<String> command) throws IOException {
        return new ChildJvm(role, new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start());
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (transcript) {
                    transcript.add(line);
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the process is gone; END below tells the waiter
        } finally {
            lines.add(END);
        }
    }

    /** The rest of the first line that starts with {@code prefix}. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("the " + role + " JVM said nothing for " + timeout.toSeconds() + " s");
            }
            if (line.equals(END)) {
                throw new IllegalStateException("the " + role + " JVM ended" + exitStatus()
                        .map(s -> " with status " + s).orElse("") + " before printing " + prefix.strip());
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
    }

    /** The first line in which {@code pattern} is found, consuming the lines before it. */
    Matcher awaitMatch(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("the " + role + " JVM did not say /" + pattern + "/ within "
                        + timeout.toSeconds() + " s");
            }
            if (line.equals(END)) {
                throw new IllegalStateException("the " + role + " JVM ended" + exitStatus()
                        .map(s -> " with status " + s).orElse("") + " before saying /" + pattern + "/");
            }
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    /** Every line it printed so far, including those an {@link #awaitLine} consumed. */
    List<String> transcript() {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }

    /** Whether it printed a line that starts with {@code prefix}. */
    boolean said(String prefix) {
        synchronized (transcript) {
            return transcript.stream().anyMatch(l -> l.startsWith(prefix));
        }
    }

    void awaitSuccess(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the " + role + " JVM did not exit within " + timeout.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the " + role + " JVM exited with status " + process.exitValue());
        }
    }

    private Optional<Integer> exitStatus() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The JVM's process: what a harness playing supervisor kills and watches. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * SIGTERM, and waits for the process to end: what a Sovereign needs to tear down in order. Not
     * {@code Process.destroy()}, which also closes our ends of the pipes and would lose its last words.
     *
     * @return every line it printed that no {@link #awaitLine} consumed
     */
    List<String> terminate(Duration timeout) throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the " + role + " JVM did not stop within " + timeout.toSeconds()
                    + " s of SIGTERM");
        }
        List<String> said = new ArrayList<>();
        // Its children may hold the pipe a moment longer; the pump says END once all let go.
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String line; (line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null
                && !line.equals(END); ) {
            said.add(line);
        }
        return said;
    }

    /** Kills the process if it still runs: no child outlives its run. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
