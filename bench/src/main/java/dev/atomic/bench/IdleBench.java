package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code atomic bench idle}: what idle services cost, on demand against always running, side by side in one run (see
 * {@link IdleSystem}). Two boots: in the first the sleepers are on demand, each called once, then left to freeze,
 * and their cgroups' CPU time is read across the window while the latency trials run beside them; in the second the
 * same sleepers run from boot, are called once, and are read across the same window.
 */
public final class IdleBench {
    /** How long the sleepers' CPU time is counted, and the latency trials run. */
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final Duration QUICK_WINDOW = Duration.ofSeconds(10);
    /** Calls of the always-running sleepers settle (JIT, first collections) before their window. */
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration FREEZE_WAIT = Duration.ofMinutes(1);
    /** What the Engine says once the Sovereign thawed a service it held a request for. */
    private static final Pattern THAWED = Pattern.compile(Pattern.quote(IdleSystem.FROM_FROZEN)
            + " \\(services\\) thawed in ([\\d.]+) ms");

    private IdleBench() {
    }

    /** {@code bench/results/idle.json} in the checkout the user is in. */
    public static Path defaultOutput() {
        return Results.defaultOutput("idle");
    }

    /** Measures, writes {@code out}; 0, or 1 when a boot could not be measured (its figures say why). */
    public static int run(boolean quick, Path out, PrintStream progress) throws Exception {
        Duration window = quick ? QUICK_WINDOW : WINDOW;
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "idle", quick ? "quick" : "full", host);
        List<Double> frozen = new ArrayList<>();
        List<Double> thaws = new ArrayList<>();
        List<Double> stopped = new ArrayList<>();
        List<Double> running = new ArrayList<>();
        Long onDemandNanos = null;
        Long alwaysNanos = null;
        String whyOnDemand = null;
        String whyAlways = null;
        String load = "";
        progress.printf("%d sleepers on demand: boot, wake each once, wait until frozen, %d s measured with latency "
                + "trials... ", IdleSystem.SLEEPERS, window.toSeconds());
        progress.flush();
        try {
            onDemandNanos = onDemand(window, frozen, thaws, stopped, running);
            load = Results.loadAverage();
            progress.printf("%.2f ticks; %d trials from frozen, %d from stopped, %d running%n",
                    IdleFigures.ticks(onDemandNanos), frozen.size(), stopped.size(), running.size());
        } catch (Exception e) {
            whyOnDemand = "failed: " + e.getMessage();
            progress.println(whyOnDemand);
        }
        progress.printf("%d sleepers always running: boot, call each once, %d s measured... ", IdleSystem.SLEEPERS,
                window.toSeconds());
        progress.flush();
        try {
            alwaysNanos = always(window);
            load += "; " + Results.loadAverage();
            progress.printf("%.2f ticks%n", IdleFigures.ticks(alwaysNanos));
        } catch (Exception e) {
            whyAlways = "failed: " + e.getMessage();
            progress.println(whyAlways);
        }
        List<Figure> figures = IdleFigures.build(new IdleFigures.Measured(window, onDemandNanos, alwaysNanos, frozen,
                thaws, stopped, running, whyOnDemand, whyAlways));
        Results.write("idle", host, describe(window, load), figures, out, progress, start);
        return whyOnDemand == null && whyAlways == null ? 0 : 1;
    }

    /** The on-demand boot: the sleepers' CPU time over the window, and the trials run meanwhile. */
    private static long onDemand(Duration window, List<Double> frozen, List<Double> thaws, List<Double> stopped,
                                 List<Double> running) throws Exception {
        List<String> sleepers = IdleSystem.sleepers();
        try (IdleRun run = IdleRun.boot(new IdleSystem(true))) {
            run.call(Waker.ALL);
            run.await("every sleeper frozen", FREEZE_WAIT, () -> sleepers.stream().allMatch(run::frozen));
            run.call(IdleSystem.FROM_FROZEN); // started once: from then on it freezes when idle
            Map<String, Long> before = run.cpuNanos(sleepers);
            long end = System.nanoTime() + window.toNanos();
            while (System.nanoTime() - end < 0) {
                run.await(IdleSystem.FROM_FROZEN + " frozen", FREEZE_WAIT, () -> run.frozen(IdleSystem.FROM_FROZEN));
                frozen.add(millis(run.call(IdleSystem.FROM_FROZEN)));
                running.add(millis(run.call(IdleSystem.RUNNING)));
                run.await(IdleSystem.FROM_STOPPED + " stopped", FREEZE_WAIT,
                        () -> !run.running(IdleSystem.FROM_STOPPED));
                stopped.add(millis(run.call(IdleSystem.FROM_STOPPED)));
            }
            Map<String, Long> after = run.cpuNanos(sleepers);
            for (String line : run.said()) {
                Matcher m = THAWED.matcher(line);
                if (m.find()) {
                    thaws.add(Double.parseDouble(m.group(1)));
                }
            }
            List<String> thawed = sleepers.stream().filter(s -> !run.frozen(s)).toList();
            if (!thawed.isEmpty()) {
                throw new IllegalStateException("sleepers thawed during the window: " + thawed);
            }
            return used(before, after);
        }
    }

    /** The always-running boot: the same sleepers, called once, then left alone over the window. */
    private static long always(Duration window) throws Exception {
        List<String> sleepers = IdleSystem.sleepers();
        try (IdleRun run = IdleRun.boot(new IdleSystem(false))) {
            run.call(Waker.ALL);
            Thread.sleep(SETTLE.toMillis());
            Map<String, Long> before = run.cpuNanos(sleepers);
            Thread.sleep(window.toMillis());
            return used(before, run.cpuNanos(sleepers));
        }
    }

    private static long used(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream().mapToLong(e -> e.getValue() - before.get(e.getKey())).sum();
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }


    static String describe(Duration window, String load) {
        return "Two boots of a system of " + IdleSystem.SLEEPERS + " 'sleeper' services (each a component host JVM "
                + "in its own sandbox and cgroup, answering a call at once and doing nothing else) and a 'waker' app "
                + "that calls them when the harness says. Boot 1 (bench-idle-on-demand): the sleepers are on demand "
                + "(freeze after " + IdleSystem.SLEEPING.freezeAfter().toMillis() + " ms idle); each is called once "
                + "(all at once), the harness waits until the freezer says every sleeper's cgroup is FROZEN, then "
                + "reads their cgroups' CPU time (cpuacct.usage on cgroup v1, usage_usec of cpu.stat on v2) "
                + window.toSeconds() + " s apart, and checks they are all still frozen. Meanwhile the waker times, in "
                + "its own process, a call to '" + IdleSystem.FROM_FROZEN + "' once the harness saw its cgroup "
                + "frozen (it freezes after 200 ms idle), one to '" + IdleSystem.RUNNING + "' (started at boot), and "
                + "one to '" + IdleSystem.FROM_STOPPED + "' once the harness saw its cgroup empty (it freezes after "
                + "200 ms idle and stops after 400 ms), in turn until the window ends; of each call from frozen, the Engine's "
                + "'thawed in' line says how long it waited for the Sovereign to thaw the service. Boot 2 (bench-idle-always): "
                + "the same sleepers start at boot, each is called once, " + SETTLE.toSeconds() + " s settle, then "
                + "the same reading over the same window. Ticks are the kernel's USER_HZ (1/100 s of CPU). Load "
                + "average (1, 5, 15 min) at the end of each boot: " + load + ".";
    }
}
