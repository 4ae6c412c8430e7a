package dev.atomic.sovereign;

import dev.atomic.component.InheritedSegments;
import dev.atomic.component.Partition;
import dev.atomic.component.SpareWait;
import dev.atomic.system.cgroup.Cgroup;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Starts the Engine and components as JVMs of the same Java as the Sovereign, each from its own image: the class
 * path of its deployed release files; or a component's executable image, the deployed program itself.
 * <p>
 * A small shell step joins the cgroup before {@code exec}, so the process never runs a single instruction outside
 * its group (a sandbox and everything in it included); opens the shared memory a component inherits onto
 * descriptors 3, 4, … (a child cannot open {@code /proc/<sovereign>/fd/<n>} once in its own pid namespace, and the
 * JDK closes every other descriptor when it starts a process); and {@code setsid} puts it in a session of its own,
 * so Ctrl-C at the terminal reaches only the Sovereign, which then stops everything in order. Every step execs, so
 * the pid Java reports is that of the wrapper, if there is one, else the JVM's.
 */
final class Launcher {
    private static final String JOIN_AND_EXEC = String.join("\n",
            "for f in $ATOMIC_CGROUP_PROCS; do echo $$ > \"$f\" || exit 125; done",
            "n=" + InheritedSegments.LANE_FD,
            "for p in $ATOMIC_INHERIT; do eval \"exec $n<>\\\"\\$p\\\"\" || exit 126; n=$((n+1)); done",
            "[ -z \"$ATOMIC_REPORT_FD\" ] || eval \"exec $ATOMIC_REPORT_FD>&1 1>&2\"",
            "exec setsid \"$@\"");
    /** POSIX sh redirects descriptors 0 to 9 only; bash any. */
    private static final int SH_LAST_FD = 9;
    /**
     * Flags every Atomic JVM needs: FFM system calls, Agrona. No hsperfdata files left in /tmp. Logs in UTF-8 whatever
     * the locale (a sandbox has none, and '→' would become '?').
     */
    static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
            "-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xshare:auto", "-Dstdout.encoding=UTF-8",
            "-Dstderr.encoding=UTF-8");

    /**
     * Every flag of a JVM started with {@code tuning}: the class-data sharing the JVM does by itself gives way to an
     * AOT cache ({@code -XX:AOTCache}, {@code -XX:AOTCacheOutput}), which the JVM refuses beside {@code -Xshare}.
     */
    static List<String> jvmFlags(List<String> tuning) {
        boolean aot = tuning.stream().anyMatch(f -> f.startsWith("-XX:AOTCache"));
        List<String> flags = new ArrayList<>(JVM_FLAGS.stream().filter(f -> !aot || !f.startsWith("-Xshare:")).toList());
        flags.addAll(tuning);
        return flags;
    }

    /**
     * How a process is confined beyond its cgroup.
     *
     * @param inherited shared memory it inherits, opened onto descriptors 3, 4, … in this order
     * @param wrapper   the command the JVM runs under (a sandbox), empty for none
     * @param reports   the wrapper writes what it started on {@link #reportFd}, which the Sovereign reads from the
     *                  process's standard output; its own output goes to the log
     * @param env       variables to set
     */
    record Confinement(List<Path> inherited, List<String> wrapper, boolean reports, Map<String, String> env) {
        static final Confinement NONE = new Confinement(List.of(), List.of(), false, Map.of());

        Confinement {
            inherited = List.copyOf(inherited);
            wrapper = List.copyOf(wrapper);
            env = Map.copyOf(env);
        }

        /** The descriptor after the inherited ones. */
        int reportFd() {
            return InheritedSegments.LANE_FD + inherited.size();
        }
    }

    private final String java;
    private final Path logDir;

    Launcher(Path logDir) throws IOException {
        this.java = java();
        this.logDir = logDir;
        Files.createDirectories(logDir);
    }

    /** The Sovereign's own java, which every Atomic JVM runs. */
    static String java() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    Process start(List<Path> classPath, String mainClass, List<String> args, List<String> tuning,
                  Optional<Cgroup> cgroup, String logName) throws IOException {
        return start(classPath, mainClass, args, tuning, cgroup, logName, Confinement.NONE);
    }

    /**
     * @param classPath the image to run
     * @param tuning   JVM flags for this kind of process (heap, JIT)
     * @param logName  null to share the Sovereign's terminal, else the file under the log directory
     */
    Process start(List<Path> classPath, String mainClass, List<String> args, List<String> tuning,
                  Optional<Cgroup> cgroup, String logName, Confinement confinement) throws IOException {
        List<String> program = new ArrayList<>();
        program.add(java);
        program.addAll(jvmFlags(tuning));
        program.addAll(List.of("-cp", classPath.stream().map(Path::toString).collect(Collectors.joining(
                File.pathSeparator)), mainClass));
        program.addAll(args);
        return launch(program, cgroup, logName, confinement);
    }

    /**
     * Starts an executable image ({@code image.exec}): the same launch step, cgroup and confinement as a JVM, no JVM.
     * Its arguments: the manifest's {@code image.args}, then what the Sovereign appends.
     */
    Process exec(Path executable, List<String> imageArgs, List<String> appended, Optional<Cgroup> cgroup,
                 String logName, Confinement confinement) throws IOException {
        List<String> program = new ArrayList<>();
        program.add(executable.toString());
        program.addAll(imageArgs);
        program.addAll(appended);
        return launch(program, cgroup, logName, confinement);
    }

    private Process launch(List<String> program, Optional<Cgroup> cgroup, String logName, Confinement confinement)
            throws IOException {
        int lastFd = confinement.reportFd() - (confinement.reports() ? 0 : 1);
        String shell = lastFd <= SH_LAST_FD ? "/bin/sh" : "/bin/bash";
        if (!Files.isExecutable(Path.of(shell))) {
            throw new IOException(logName + " inherits " + confinement.inherited().size() + " shared-memory segments; "
                    + "passing more than " + (SH_LAST_FD - InheritedSegments.LANE_FD) + " needs " + shell
                    + ", which this host lacks");
        }
        List<String> command = new ArrayList<>(List.of(shell, "-c", JOIN_AND_EXEC, "atomic-launch"));
        command.addAll(confinement.wrapper());
        command.addAll(program);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.putAll(confinement.env());
        env.put("ATOMIC_CGROUP_PROCS", cgroup.map(g -> g.procsFiles().stream()
                .map(Path::toString).collect(Collectors.joining(" "))).orElse(""));
        env.put("ATOMIC_INHERIT", confinement.inherited().stream().map(Path::toString).collect(Collectors.joining(" ")));
        env.put("ATOMIC_REPORT_FD", confinement.reports() ? Integer.toString(confinement.reportFd()) : "");
        if (logName == null) {
            pb.inheritIO();
        } else {
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logDir.resolve(logName).toFile());
            if (confinement.reports()) {
                pb.redirectError(log).redirectOutput(ProcessBuilder.Redirect.PIPE);
            } else {
                pb.redirectErrorStream(true).redirectOutput(log);
            }
            // A warm spare waits for its order on its standard input (SpareWait), a partition host reads its orders.
            pb.redirectInput(confinement.env().containsKey(SpareWait.ENV)
                    || confinement.env().containsKey(Partition.ORDERS_ENV) ? ProcessBuilder.Redirect.PIPE
                    : ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        return pb.start();
    }

    Path logDir() {
        return logDir;
    }
}
