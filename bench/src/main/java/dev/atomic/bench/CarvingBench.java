package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code atomic bench carving}: the management plane's latency while the Drivers &amp; Apps kernel misbehaves (a hog
 * spinning on every CPU, a leaker allocating until its limit kills it), with carving on and with carving off, side
 * by side in one run, written to a results file. See {@link CarvingSystem}.
 */
public final class CarvingBench {
    /**
     * How much to measure: {@code rounds} boots per setting, alternating (on, off, then off, on, ...), each with a
     * warm-up and a measured window.
     */
    record Plan(String name, int rounds, Duration warmup, Duration measured) {
        /** About 1.5 minutes on a 2-core host. */
        static Plan full() {
            return new Plan("full", 2, Duration.ofSeconds(5), Duration.ofSeconds(15));
        }

        /** About 30 s: one boot per setting, a short window, so the tail means less. */
        static Plan quick() {
            return new Plan("quick", 1, Duration.ofSeconds(2), Duration.ofSeconds(5));
        }

        CarvingSystem system() {
            return new CarvingSystem(warmup, measured);
        }
    }

    private CarvingBench() {
    }

    /** {@code bench/results/carving.json} in the checkout the user is in. */
    public static Path defaultOutput() {
        return Results.defaultOutput("carving");
    }

    /**
     * Measures, writes {@code out}, and tells {@code progress} how it goes.
     *
     * @return 0, or 1 when a setting could not be measured (its figures say why)
     */
    public static int run(boolean quick, Path out, PrintStream progress) throws Exception {
        Plan plan = quick ? Plan.quick() : Plan.full();
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "carving", plan.name(), host);
        CarvingSide on = CarvingSide.none(true, BridgePath.NOT_MEASURED);
        CarvingSide off = CarvingSide.none(false, BridgePath.NOT_MEASURED);
        boolean onStarted = false;
        boolean offStarted = false;
        for (int round = 1; round <= plan.rounds(); round++) {
            // Alternating which goes first: a drift of the host's load lands on both settings.
            for (boolean carve : round % 2 == 1 ? List.of(true, false) : List.of(false, true)) {
                CarvingSide sofar = carve ? on : off;
                if ((carve ? onStarted : offStarted) && sofar.probes() == null) {
                    continue; // failed before: a failure sticks
                }
                progress.printf("%s, round %d/%d: boot, %d s warm-up, %d s measured... ", sofar.label(), round,
                        plan.rounds(), plan.warmup().toSeconds(), plan.measured().toSeconds());
                progress.flush();
                CarvingSide side = measure(plan.system(), carve);
                progress.println(side.summary());
                if (carve) {
                    on = onStarted ? on.plus(side) : side;
                    onStarted = true;
                } else {
                    off = offStarted ? off.plus(side) : side;
                    offStarted = true;
                }
            }
        }
        List<Figure> figures = CarvingFigures.build(on, off);
        Results.write("carving", host, describe(plan, on, off), figures, out, progress, start);
        return on.probes() == null || off.probes() == null ? 1 : 0;
    }

    private static CarvingSide measure(CarvingSystem system, boolean carve) throws InterruptedException {
        try {
            return CarvingSide.of(carve, AtomicRun.boot(system.name(), carve, Prober.RESULT_FILE, Prober.GO_FILE,
                    CarvingSide.logs(), system.warmup()));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return CarvingSide.none(carve, "failed: " + e.getMessage());
        }
    }

    /** The results file's method: how the figures were obtained, and what carving did in each setting. */
    static String describe(Plan plan, CarvingSide on, CarvingSide off) {
        int hog = Math.max(on.hogThreads(), off.hogThreads());
        return "System '" + plan.system().name() + "' booted " + plan.rounds() + " time(s) with carving on and "
                + plan.rounds() + " with it off (atomic boot --no-carving: the cgroup tree, no reservation or limits), "
                + "alternating, each a fresh Sovereign, Engine and component hosts. In the Drivers & Apps kernel, "
                + "'hog' spins " + (hog > 0 ? hog + " thread(s)" : "a thread per CPU") + " without end, and 'leaker' maps and "
                + "touches " + Leaker.STEP / CarvingSystem.MIB + " MiB every " + Leaker.PACE.toMillis() + " ms, up to "
                + "its " + CarvingSystem.LEAKER_LIMIT / CarvingSystem.MIB + " MiB limit (carving on: the kernel kills "
                + "it and the Engine restarts it, within its restart budget) or its own cap of "
                + Leaker.CAP / CarvingSystem.MIB + " MiB (carving off), then holds it. In the Services kernel, "
                + "'prober' calls 'probe' (answering at once) through the Engine every "
                + Prober.INTERVAL.toMillis() + " ms with the component SDK, untimed until Atomic is ready, then "
                + plan.warmup().toSeconds() + " s untimed, then timing every round trip for " + plan.measured()
                .toSeconds() + " s; percentiles pool the boots of each setting (failed calls are timed too). "
                + "Meanwhile the benchmark's own JVM sends 'atomic status' requests to the Sovereign over its control "
                + "socket every " + StatusProber.INTERVAL.toMillis() + " ms, timed after the same warm-up (the CLI "
                + "process's own start is left out: it runs outside Atomic's cgroups, where carving has no say). "
                + "Carve stage, carving on: "
                + stage(on) + ". Carving off: " + stage(off) + ".";
    }

    private static String stage(CarvingSide side) {
        return side.carveStage() != null ? side.carveStage() : "(not booted: " + side.whyNone() + ")";
    }
}
