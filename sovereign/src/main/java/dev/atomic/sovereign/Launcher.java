package dev.atomic.sovereign;

import dev.atomic.system.cgroup.Cgroup;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Starts the Engine and components as JVMs of the same Java as the Sovereign, each from its own image: the class
 * path of its deployed release files.
 * <p>
 * A small shell step joins the cgroup before {@code exec}, so the JVM never runs a single instruction outside
 * its group, and {@code setsid} puts it in a session of its own, so Ctrl-C at the terminal reaches only the
 * Sovereign, which then stops everything in order. The pid Java reports is the JVM's: both steps exec.
 */
final class Launcher {
    private static final String JOIN_AND_EXEC =
            "for f in $ATOMIC_CGROUP_PROCS; do echo $$ > \"$f\" || exit 125; done; exec setsid \"$@\"";
    /** Flags every Atomic JVM needs: FFM system calls, Agrona. No hsperfdata files left in /tmp. */
    static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xshare:auto");

    private final String java;
    private final Path logDir;

    Launcher(Path logDir) throws IOException {
        this.java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        this.logDir = logDir;
        Files.createDirectories(logDir);
    }

    /**
     * @param classPath the image to run
     * @param tuning   JVM flags for this kind of process (heap, JIT)
     * @param logName  null to share the Sovereign's terminal, else the file under the log directory
     */
    Process start(List<Path> classPath, String mainClass, List<String> args, List<String> tuning,
                  Optional<Cgroup> cgroup, String logName) throws IOException {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", JOIN_AND_EXEC, "atomic-launch", java));
        command.addAll(JVM_FLAGS);
        command.addAll(tuning);
        command.addAll(List.of("-cp", classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                mainClass));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("ATOMIC_CGROUP_PROCS", cgroup.map(g -> g.procsFiles().stream()
                .map(Path::toString).collect(Collectors.joining(" "))).orElse(""));
        if (logName == null) {
            pb.inheritIO();
        } else {
            File log = logDir.resolve(logName).toFile();
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        return pb.start();
    }

    Path logDir() {
        return logDir;
    }
}
