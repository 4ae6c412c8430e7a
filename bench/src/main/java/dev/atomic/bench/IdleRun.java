package dev.atomic.bench;

import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.Cgroups;
import dev.atomic.system.cgroup.CgroupsUnavailable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One boot of an {@link IdleSystem}, driven from outside: the harness reads the services' cgroups (their CPU time,
 * whether they are frozen, whether they have a process) and tells {@link Waker} when to call.
 */
final class IdleRun implements AutoCloseable {
    private static final Duration BOOT = Duration.ofMinutes(2);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 2;

    private final Path home;
    private final String instance;
    private final ChildJvm atomic;
    private final Path waker;
    private final Cgroups cgroups;
    private int orders;

    private IdleRun(Path home, String instance, ChildJvm atomic, Cgroups cgroups) {
        this.home = home;
        this.instance = instance;
        this.atomic = atomic;
        this.cgroups = cgroups;
        this.waker = home.resolve("state").resolve(instance).resolve("waker");
    }

    /** Boots the system and waits until the waker runs. */
    static IdleRun boot(IdleSystem system) throws Exception {
        Cgroups cgroups;
        try {
            cgroups = Cgroups.detect();
        } catch (CgroupsUnavailable e) {
            throw new IllegalStateException("no cgroups on this host (" + e.getMessage() + "): nothing can be frozen "
                    + "or measured per service");
        }
        Path home = Files.createTempDirectory("atomic-bench-idle-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
        String instance = AtomicRun.newInstance();
        IdleRun run = new IdleRun(home, instance, ChildJvm.start(BenchChild.atomicArgs(system.name(), instance, home,
                true)), cgroups);
        try {
            run.await("the waker to start", BOOT, () -> Files.exists(run.waker.resolve(Waker.READY_FILE)));
        } catch (Exception e) {
            run.close();
            throw e;
        }
        return run;
    }

    /** Has the waker call {@code service} (or every sleeper); the round trip it timed, in nanoseconds. */
    long call(String service) throws Exception {
        int n = ++orders;
        Path partial = waker.resolve("order-" + n + ".partial");
        Files.writeString(partial, service);
        Files.move(partial, Waker.order(waker, n));
        Path done = Waker.done(waker, n);
        await("the waker's call to " + service, BOOT, () -> Files.exists(done));
        String outcome = Files.readString(done);
        if (!outcome.startsWith("ok ")) {
            throw new IllegalStateException("the call to " + service + " " + outcome);
        }
        return Long.parseLong(outcome.substring(3).strip());
    }

    /** The service's own group, once it has been started. */
    Optional<Cgroup> group(String service) {
        return cgroups.find(instance + "/services/" + service);
    }

    boolean frozen(String service) {
        return group(service).map(Cgroup::frozen).orElse(false);
    }

    boolean running(String service) {
        return group(service).map(g -> !g.processes().isEmpty()).orElse(false);
    }

    /** CPU time each service's group used since it was made, in nanoseconds; 0 for one never started. */
    Map<String, Long> cpuNanos(List<String> services) {
        Map<String, Long> used = new TreeMap<>();
        for (String s : services) {
            long cpu = group(s).map(g -> g.usage().cpuNanos()).orElse(0L);
            if (cpu < 0) {
                throw new IllegalStateException("this host's cgroups do not count CPU time (no cpuacct)");
            }
            used.put(s, cpu);
        }
        return used;
    }

    void await(String what, Duration timeout, Check done) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.met()) {
            if (!atomic.alive()) {
                throw new IllegalStateException("Atomic ended while waiting for " + what + "; it said last: "
                        + last(atomic.transcript()));
            }
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException(what + " did not happen within " + timeout.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** A condition that may read files. */
    interface Check {
        boolean met() throws IOException;
    }

    /** Every line Atomic printed so far. */
    List<String> said() {
        return atomic.transcript();
    }

    private static String last(List<String> lines) {
        return lines.isEmpty() ? "" : lines.getLast();
    }

    /** Stops Atomic (SIGTERM, as Ctrl-C) and removes the run's home. */
    @Override
    public void close() throws InterruptedException {
        try {
            atomic.terminate(STOP);
        } finally {
            AtomicRun.deleteTree(home);
        }
    }
}
