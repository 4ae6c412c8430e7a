package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;
import dev.atomic.component.FuseSession;
import dev.atomic.component.SandboxGrants;
import dev.atomic.drivers.fs.DirectMount;
import dev.atomic.sovereign.StateVolumes;
import dev.atomic.system.Mounts;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code atomic bench fuse}: the FUSE driver's workload ({@link FuseWorkload}) through the driver run directly (a
 * root process that mounts its own session, {@link DirectMount}) and through the same driver hosted by Atomic, side
 * by side; then, hosted, the same workload while the driver is killed with SIGKILL once and ten times, with the
 * errors the application saw.
 */
public final class FuseBench {
    /** Within 10 % of the driver run without Atomic. */
    static final Target HOSTED = Target.atMost(1.10, "workload time, direct");
    static final Target NO_ERRORS = Target.absolute(0, "errors");
    private static final Duration START = Duration.ofMinutes(2);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final List<Integer> KILLS = List.of(0, 1, 10);
    private static final String TOOK_OVER = "fs: took over FUSE session";
    /** The component host's JVM flags (Launcher's and the Sovereign's COMPONENT_TUNING), so neither side is favoured. */
    private static final List<String> DRIVER_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData",
            "-XX:+UseSerialGC", "-Xshare:auto", "-Xms16m", "-Xmx64m", "-Xss512k");

    /** How much work: the archive's files, the files written and read back each round, the rounds timed. */
    record Plan(int entries, int files, int fileBytes, int rounds) {
        static final Plan QUICK = new Plan(150, 4, 512 * 1024, 2);
        static final Plan FULL = new Plan(300, 8, 1024 * 1024, 5);
    }

    /** One timed workload: its rounds' time and bytes, the errors the application saw, the kills made meanwhile. */
    record Side(long nanos, long bytes, List<String> errors, int kills) {
        double seconds() {
            return nanos / 1e9;
        }

        double mibPerSecond() {
            return bytes / (1024.0 * 1024.0) / seconds();
        }
    }

    private FuseBench() {
    }

    public static Path defaultOutput() {
        return Results.defaultOutput("fuse");
    }

    public static int run(boolean quick, Path out, PrintStream progress) throws Exception {
        Plan plan = quick ? Plan.QUICK : Plan.FULL;
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "fuse", quick ? "quick" : "full", host);
        if (!ProcessHandle.current().info().user().orElse("").equals("root") || !Files.exists(Path.of("/dev/fuse"))) {
            progress.println("not measured: mounting a FUSE session needs root and /dev/fuse");
            return 1;
        }
        Path work = Files.createTempDirectory("atomic-bench-fuse-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        String load;
        Side direct;
        List<Side> hosted = new ArrayList<>();
        try {
            FuseWorkload workload = FuseWorkload.prepare(work.resolve("workload"), plan.entries(), plan.files(),
                    plan.fileBytes(), 42);
            progress.printf("direct: the driver as a plain process, %d round(s) after one to warm up... ", plan.rounds());
            progress.flush();
            direct = direct(work, workload, plan);
            progress.printf("%.2f s, %d error(s)%n", direct.seconds(), direct.errors().size());
            hosted(work, workload, plan, hosted, progress);
            load = Results.loadAverage();
        } finally {
            StateVolumes.unmountAllUnder(work);
            AtomicRun.deleteTree(work);
        }
        List<Figure> figures = figures(direct, hosted);
        Results.write("fuse", host, describe(plan, load), figures, out, progress, start);
        return 0;
    }

    private static List<Figure> figures(Side direct, List<Side> hosted) {
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.info("workload time, direct", direct.seconds(), "s", "the driver as a root process "
                + "mounting its own session; " + direct.errors().size() + " application-visible error(s)"));
        figures.add(Figure.info("throughput, direct", direct.mibPerSecond(), "MiB/s", null));
        Side calm = hosted.getFirst();
        figures.add(HOSTED.judge("workload time, Atomic-hosted", calm.seconds(), "s", direct.seconds(), null));
        figures.add(Figure.info("throughput, Atomic-hosted", calm.mibPerSecond(), "MiB/s", null));
        for (Side s : hosted) {
            String kills = s.kills() + " driver kill" + (s.kills() == 1 ? "" : "s");
            if (s.kills() > 0) {
                figures.add(new Figure("workload time, Atomic-hosted, " + kills, s.seconds(), "s", calm.seconds(),
                        s.seconds() / calm.seconds(), null, null, "against no kill"));
            }
            figures.add(NO_ERRORS.judge("application-visible errors, " + kills, (double) s.errors().size(), "errors",
                    null, null));
        }
        return figures;
    }

    /** The driver without Atomic, on an ext4 volume as its state directory is under Atomic. */
    private static Side direct(Path work, FuseWorkload workload, Plan plan) throws Exception {
        Path state = work.resolve("direct-state");
        Path mount = work.resolve("direct-mnt");
        Files.createDirectories(mount);
        StateVolumes volumes = StateVolumes.probe(true);
        volumes.mount(state, SandboxGrants.DEFAULT_STATE_BYTES * 4).ifPresent(why -> {
            throw new IllegalStateException("no ext4 volume for the direct driver: " + why);
        });
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(DRIVER_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DirectMount.class.getName(),
                state.toString(), mount.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("direct.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try (volumes) {
            long end = System.nanoTime() + START.toNanos();
            while (!FuseSession.mountedAt(mount)) {
                if (!p.isAlive() || System.nanoTime() - end > 0) {
                    throw new IllegalStateException("the direct driver did not mount: "
                            + Files.readString(work.resolve("direct.log")));
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
            return rounds(workload, mount.resolve("run"), plan, null);
        } finally {
            Mounts.unmount(mount.toString(), Mounts.MNT_DETACH);
            if (!p.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** One boot of bench-fuse: the workload with no kill, then with each number of kills. */
    private static void hosted(Path work, FuseWorkload workload, Plan plan, List<Side> sides, PrintStream progress)
            throws Exception {
        Path home = work.resolve("home");
        String instance = AtomicRun.newInstance();
        Path mount = home.resolve("mnt").resolve(instance).resolve("fs");
        Path log = home.resolve("logs").resolve(instance).resolve("fs.log");
        try (ChildJvm atomic = ChildJvm.start(BenchChild.atomicArgs(FuseSystem.NAME, instance, home, true))) {
            atomic.awaitLine(AtomicRun.READY, START);
            for (int kills : KILLS) {
                progress.printf("Atomic-hosted, %d kill(s): %d round(s) after one to warm up... ", kills, plan.rounds());
                progress.flush();
                Side s = rounds(workload, mount.resolve("run-" + kills), plan, kills == 0 ? null
                        : new Killer(kills, sides.getFirst().nanos() / (kills + 1), home, instance, log));
                sides.add(s);
                progress.printf("%.2f s, %d kill(s), %d error(s)%n", s.seconds(), s.kills(), s.errors().size());
            }
            atomic.terminate(STOP);
        }
    }

    /** A warm-up round, then the timed ones, with {@code killer} killing the driver meanwhile if there is one. */
    private static Side rounds(FuseWorkload workload, Path dir, Plan plan, Killer killer) throws Exception {
        workload.run(dir.resolve("warm-up"), 0);
        List<String> errors = new ArrayList<>();
        long bytes = 0;
        Thread kills = killer == null ? null : Thread.ofPlatform().daemon().start(killer);
        long start = System.nanoTime();
        for (int i = 0; i < plan.rounds(); i++) {
            FuseWorkload.Round r = workload.run(dir.resolve("round-" + i), i + 1);
            bytes += r.bytes();
            errors.addAll(r.errors());
        }
        long nanos = System.nanoTime() - start;
        if (killer != null) {
            killer.done.set(true);
            kills.join();
        }
        return new Side(nanos, bytes, errors, killer == null ? 0 : killer.made.get());
    }

    /** Kills the hosted driver {@code count} times, {@code gapNanos} after each incarnation took the session over. */
    private static final class Killer implements Runnable {
        private final int count;
        private final long gapNanos;
        private final Path state;
        private final Path log;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicInteger made = new AtomicInteger();

        Killer(int count, long gapNanos, Path home, String instance, Path log) {
            this.count = count;
            this.gapNanos = gapNanos;
            this.state = home.resolve("state").resolve(instance).resolve("fs");
            this.log = log;
        }

        @Override
        public void run() {
            try {
                long before = takeovers();
                for (int i = 0; i < count && !done.get(); i++) {
                    while (takeovers() < before + i && !done.get()) {
                        TimeUnit.MILLISECONDS.sleep(5);
                    }
                    TimeUnit.NANOSECONDS.sleep(gapNanos);
                    if (done.get()) {
                        return;
                    }
                    FuseDriver.kill(FuseDriver.await(state, 0, START));
                    made.incrementAndGet();
                }
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        }

        private long takeovers() throws IOException {
            return Files.exists(log) ? Files.readString(log).lines().filter(l -> l.contains(TOOK_OVER)).count() : 0;
        }
    }

    static String describe(Plan plan, String load) {
        return "The workload (FuseWorkload): extract a tar archive of " + plan.entries() + " files of 0 to 32 KiB in "
                + "nested directories with tar --no-same-owner, check each extracted file's SHA-256, write "
                + plan.files() + " files of " + plan.fileBytes() / 1024 + " KiB and read them back checking their "
                + "SHA-256; one round to warm up, then " + plan.rounds() + " timed rounds, each in a fresh directory. "
                + "Direct: the same driver code as a plain root JVM (DirectMount, the component host's JVM flags) "
                + "that opens /dev/fuse and mounts itself, serving a tree on an ext4 loop volume like Atomic's state "
                + "volumes. Atomic-hosted: one boot of the system bench-fuse (drivers/fs's fs.toml: the driver in its "
                + "sandbox and cgroup, 256 MiB state volume, the session owned by the Sovereign); the same workload "
                + "with no kill, then while the driver is killed with SIGKILL once, then ten times, each kill "
                + "(time with no kill)/(kills + 1) after the incarnation before it took the session over. Errors are "
                + "what the application saw: tar failing, a file read back with other bytes, an I/O error. Load "
                + "average (1, 5, 15 min) at the end: " + load + ".";
    }
}
