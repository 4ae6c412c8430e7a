package dev.atomic.bench;

import dev.atomic.drivers.input.KeyStats;
import dev.atomic.drivers.sensor.ReadingStats;
import dev.atomic.sovereign.ControlSocket;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.Cgroups;
import dev.atomic.system.cgroup.CgroupsUnavailable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One boot of {@link StormSystem}, driven from outside: orders to the sensor through {@link StormConductor}, the
 * sinks' records read from their state directories, CPU time from the cgroups, the Sovereign's order pings through
 * its control socket.
 */
final class StormRun implements AutoCloseable {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration ORDER = Duration.ofSeconds(30);
    private static final Pattern PING = Pattern.compile("order served in (\\d+) ns, answered in (\\d+) ns");

    /** One order ping: to the Engine reading it, and back to the Sovereign, nanoseconds. */
    record Ping(long served, long answered) {
    }

    private final Path home;
    private final String instance;
    private final ChildJvm atomic;
    private final Cgroups cgroups;
    private final Path state;
    private int orders;

    private StormRun(Path home, String instance, ChildJvm atomic, Cgroups cgroups) {
        this.home = home;
        this.instance = instance;
        this.atomic = atomic;
        this.cgroups = cgroups;
        this.state = home.resolve("state").resolve(instance);
    }

    /** Boots the system, the Engine coalescing or not, and waits until it is up and key presses arrive. */
    static StormRun boot(boolean coalescing) throws Exception {
        StormRun run = boot(StormSystem.NAME, coalescing ? Map.of() : Map.of("ATOMIC_ENGINE_COALESCING", "off"),
                home -> { });
        if (!coalescing && run.atomic.transcript().stream().noneMatch(l -> l.contains("event coalescing is off"))) {
            run.close();
            throw new IllegalStateException("the Engine did not say it runs without coalescing");
        }
        return run;
    }

    /** What is put into a home before its boot (a trained model). */
    interface HomeSetup {
        void prepare(Path home) throws Exception;
    }

    /**
     * Boots {@code system} (one with the input and sensor drivers, their sinks and the conductor), the Engine's
     * environment extended by {@code env}, and waits until it is up and key presses arrive.
     */
    static StormRun boot(String system, Map<String, String> env, HomeSetup setup) throws Exception {
        Cgroups cgroups;
        try {
            cgroups = Cgroups.detect();
        } catch (CgroupsUnavailable e) {
            throw new IllegalStateException("no cgroups on this host (" + e.getMessage() + "): CPU time per process "
                    + "group cannot be read");
        }
        Path home = Files.createTempDirectory("atomic-bench-storm-");
        // Searchable, as a home Atomic makes is: sandboxed components, as nobody, reach their state through it.
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
        setup.prepare(home);
        String instance = AtomicRun.newInstance();
        StormRun run = new StormRun(home, instance, ChildJvm.start(BenchChild.atomicArgs(system, instance,
                home, true), env), cgroups);
        try {
            run.atomic.awaitMatch(Pattern.compile("^ready in \\d+ ms"), BOOT);
            long end = System.nanoTime() + ORDER.toNanos();
            while (!Files.exists(run.keysFile()) || run.keys().received() == 0) {
                if (System.nanoTime() - end > 0) {
                    throw new IllegalStateException("no key press reached the input sink within " + ORDER.toSeconds()
                            + " s");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            return run;
        } catch (Exception e) {
            run.close();
            throw e;
        }
    }

    /** Tells the conductor {@code text} ({@code storm}, {@code rate <n>}) and waits until it was passed on. */
    void order(String text) throws Exception {
        int n = ++orders;
        Path dir = state.resolve(StormSystem.CONDUCTOR);
        Files.writeString(dir.resolve(StormConductor.ORDER + n + ".next"), text);
        Files.move(dir.resolve(StormConductor.ORDER + n + ".next"), dir.resolve(StormConductor.ORDER + n));
        long end = System.nanoTime() + ORDER.toNanos();
        while (!Files.exists(dir.resolve(StormConductor.DONE + n))) {
            if (System.nanoTime() - end > 0 || !atomic.alive()) {
                throw new IllegalStateException("the conductor did not pass on '" + text + "' within "
                        + ORDER.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
    }

    private Path keysFile() {
        return state.resolve("input-sink").resolve(KeyStats.FILE);
    }

    KeyStats.Snapshot keys() throws Exception {
        return KeyStats.Snapshot.read(keysFile());
    }

    ReadingStats.Snapshot readings() throws Exception {
        return ReadingStats.Snapshot.read(state.resolve("sensor-sink").resolve(ReadingStats.FILE));
    }

    /** CPU time the group used since it was made: {@code engine}, or a component's {@code dak/<id>}. */
    long cpuNanos(String group) {
        long used = cgroups.find(instance + "/" + group).map(Cgroup::usage).map(u -> u.cpuNanos()).orElse(-1L);
        if (used < 0) {
            throw new IllegalStateException("this host's cgroups do not count the CPU time of " + group);
        }
        return used;
    }

    /** An order of the Sovereign to the Engine, timed by the Sovereign. */
    Ping orderPing() throws Exception {
        StringBuilder answer = new StringBuilder();
        if (!ControlSocket.ask(ControlSocket.path(home, instance), "order-ping", answer::append)) {
            throw new IllegalStateException("the Sovereign does not answer on its control socket");
        }
        Matcher m = PING.matcher(answer);
        if (!m.find()) {
            throw new IllegalStateException("the order ping failed: " + answer);
        }
        return new Ping(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    /** Whether Atomic said a line matching {@code pattern} after its {@code skip} first lines. */
    boolean saidSince(int skip, Pattern pattern) {
        List<String> said = atomic.transcript();
        return said.subList(Math.min(skip, said.size()), said.size()).stream().anyMatch(l -> pattern.matcher(l).find());
    }

    int lines() {
        return atomic.transcript().size();
    }

    /** What Atomic said so far, line by line. */
    List<String> transcript() {
        return atomic.transcript();
    }

    /** The instance's log directory: its fault reports, its policy loop's files. */
    Path logDir() {
        return home.resolve("logs").resolve(instance);
    }

    /** The sensor's log: how many readings a second its storm attempted. */
    String sensorLog() throws Exception {
        Path log = home.resolve("logs").resolve(instance).resolve("sensor.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        try {
            if (atomic.alive()) {
                atomic.terminate(Duration.ofSeconds(30));
            }
        } finally {
            AtomicRun.deleteTree(home);
        }
    }
}
