package dev.atomic.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a main class of the test class path in a fresh JVM: for what would disturb, or must not share, this one. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** The command line that runs {@code main} with {@code args} in a JVM like this one, on this class path. */
    public static List<String> command(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code main} with {@code args}; returns its standard output after asserting it exited 0. */
    public static String run(Class<?> main, String... args) throws IOException, InterruptedException {
        java.lang.Process child = new ProcessBuilder(command(main, args)).redirectErrorStream(true).start();
        boolean exited = child.waitFor(20, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(exited, "child JVM did not finish: " + output);
        assertEquals(0, child.exitValue(), "child JVM failed: " + output);
        return output.strip();
    }
}
