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
    private static final List<Integer> KILLED = List.of(1, 10);
    private static final String TOOK_OVER = "fs: took over FUSE session";
    /** The component host's JVM flags (Launcher's and the Sovereign's COMPONENT_TUNING), so neither side is favoured. */
    private static final List<String> DRIVER_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData",
            "-XX:+UseSerialGC", "-Xshare:auto", "-Xms16m", "-Xmx64m", "-Xss512k");

    /** How much work: the archive's files, the files written and read back each round, the rounds timed. */
    record Plan(int entries, int files, int fileBytes, int rounds) {
        static final Plan QUICK = new Plan(150, 4, 512 * 1024, 2);
        static final Plan FULL = new Plan(300, 8, 1024 * 1024, 5);
    }

    /**
     * One side's timed rounds: their time and bytes, the errors the application saw, the kills planned and made.
     */
    record Side(int planned, long nanos, long bytes, List<String> errors, int kills) {
        double seconds() {
            return nanos / 1e9;
        }

        double mibPerSecond() {
            return bytes / (1024.0 * 1024.0) / seconds();
        }

        Side plus(FuseWorkload.Round r) {
            List<String> all = new ArrayList<>(errors);
            all.addAll(r.errors());
            return new Side(planned, nanos + r.nanos(), bytes + r.bytes(), all, kills);
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
        Side direct = new Side(0, 0, 0, List.of(), 0);
        List<Side> hosted = new ArrayList<>(List.of(direct));
        try {
            FuseWorkload workload = FuseWorkload.prepare(work.resolve("workload"), plan.entries(), plan.files(),
                    plan.fileBytes(), 42);
            Path home = work.resolve("home");
            String instance = AtomicRun.newInstance();
            Path hostedMount = home.resolve("mnt").resolve(instance).resolve("fs");
            try (Direct d = Direct.start(work);
                 ChildJvm atomic = ChildJvm.start(BenchChild.atomicArgs(FuseSystem.NAME, instance, home, true))) {
                atomic.awaitLine(AtomicRun.READY, START);
                progress.printf("direct and Atomic-hosted in turn: %d round(s) each after one to warm up... ",
                        plan.rounds());
                progress.flush();
                workload.run(d.mount().resolve("warm-up"), 0);
                workload.run(hostedMount.resolve("warm-up"), 0);
                for (int i = 0; i < plan.rounds(); i++) {
                    // In turn, each first every other round: a load that drifts weighs on both alike.
                    for (int side = 0; side < 2; side++) {
                        boolean directNow = (side + i) % 2 == 0;
                        Path dir = (directNow ? d.mount() : hostedMount).resolve("calm").resolve("round-" + i);
                        FuseWorkload.Round r = workload.run(dir, i + 1);
                        if (directNow) {
                            direct = direct.plus(r);
                        } else {
                            hosted.set(0, hosted.getFirst().plus(r));
                        }
                    }
                }
                AtomicRun.deleteTree(d.mount().resolve("calm"));
                AtomicRun.deleteTree(hostedMount.resolve("calm"));
                progress.printf("direct %.2f s, %d error(s); hosted %.2f s, %d error(s)%n", direct.seconds(),
                        direct.errors().size(), hosted.getFirst().seconds(), hosted.getFirst().errors().size());
                Path log = home.resolve("logs").resolve(instance).resolve("fs.log");
                for (int kills : KILLED) {
                    progress.printf("Atomic-hosted, %d kill(s): %d round(s)... ", kills, plan.rounds());
                    progress.flush();
                    Killer killer = new Killer(kills, hosted.getFirst().nanos() / (2L * (kills + 1)), home, instance,
                            log);
                    Side k = killed(workload, hostedMount.resolve("killed-" + kills), plan, killer);
                    hosted.add(k);
                    progress.printf("%.2f s, %d kill(s) made, %d error(s)%n", k.seconds(), k.kills(), k.errors().size());
                    k.errors().stream().limit(5).forEach(e -> progress.println("  error: " + e));
                }
                atomic.terminate(STOP);
            }
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
            String kills = s.planned() + " driver kill" + (s.planned() == 1 ? "" : "s");
            if (s.planned() > 0) {
                figures.add(new Figure("workload time, Atomic-hosted, " + kills, s.seconds(), "s", calm.seconds(),
                        s.seconds() / calm.seconds(), null, null, "against no kill; " + s.kills() + " kill(s) made "
                        + "during the workload"));
            }
            Figure errors = NO_ERRORS.judge("application-visible errors, " + kills, (double) s.errors().size(), "errors",
                    null, null);
            figures.add(s.errors().isEmpty() ? errors : new Figure(errors.name(), errors.value(), errors.unit(), null,
                    null, errors.target(), errors.met(), errors.note() + "; the first: "
                    + String.join("; ", s.errors().subList(0, Math.min(3, s.errors().size())))));
        }
        return figures;
    }

    /** The driver without Atomic, on an ext4 volume as its state directory is under Atomic. */
    private record Direct(Process process, Path mount, StateVolumes volumes) implements AutoCloseable {
        static Direct start(Path work) throws Exception {
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
            Path log = work.resolve("direct.log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Direct direct = new Direct(p, mount, volumes);
            long end = System.nanoTime() + START.toNanos();
            while (!FuseSession.mountedAt(mount)) {
                if (!p.isAlive() || System.nanoTime() - end > 0) {
                    direct.close();
                    throw new IllegalStateException("the direct driver did not mount: " + Files.readString(log));
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
            return direct;
        }

        @Override
        public void close() throws InterruptedException {
            Mounts.unmount(mount.toString(), Mounts.MNT_DETACH);
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            volumes.close();
        }
    }

    /** The hosted workload's timed rounds while {@code killer} kills the driver. */
    private static Side killed(FuseWorkload workload, Path dir, Plan plan, Killer killer) throws Exception {
        Side side = new Side(killer.count, 0, 0, List.of(), 0);
        Thread kills = Thread.ofPlatform().daemon().start(killer);
        for (int i = 0; i < plan.rounds(); i++) {
            side = side.plus(workload.run(dir.resolve("round-" + i), i + 1));
        }
        killer.done.set(true);
        kills.join();
        AtomicRun.deleteTree(dir); // through the mount: the next side starts with an empty volume
        return new Side(side.planned(), side.nanos(), side.bytes(), side.errors(), killer.made.get());
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
                + "SHA-256. Direct: the same driver code as a plain root JVM (DirectMount, the component host's JVM "
                + "flags) that opens /dev/fuse and mounts itself, serving a tree on an ext4 loop volume like Atomic's "
                + "state volumes. Atomic-hosted: a boot of the system bench-fuse (drivers/fs's fs.toml: the driver "
                + "in its sandbox and cgroup, its session owned by the Sovereign). Both mounted at once; one round "
                + "each to warm up, then " + plan.rounds() + " timed rounds each, in turn (each side first every "
                + "other round), each in a fresh directory. Then, hosted, " + plan.rounds() + " rounds while the "
                + "driver is killed with SIGKILL once, then ten times, each kill (hosted time with no kill)/"
                + "(2 (kills + 1)) after the incarnation before it said it took the session over. Errors are what the "
                + "application saw: tar failing, a file read back with other bytes, an I/O error. Load average "
                + "(1, 5, 15 min) at the end: " + load + ".";
    }
}
