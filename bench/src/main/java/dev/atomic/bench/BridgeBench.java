package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code atomic bench bridge}: request/reply between two processes over every path of {@link BridgeLineup}, side by
 * side in one run, written to a results file.
 */
public final class BridgeBench {
    private BridgeBench() {
    }

    /** {@code bench/results/bridge.json} in the checkout the user is in. */
    public static Path defaultOutput() {
        return Results.defaultOutput("bridge");
    }

    /**
     * Measures, writes {@code out}, and tells {@code progress} how it goes.
     *
     * @return 0, or 1 when a path that should have been measured failed (its figures say why)
     */
    public static int run(boolean quick, Path out, PrintStream progress) throws Exception {
        Plan plan = quick ? Plan.quick() : Plan.full();
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "bridge", plan.name(), host);
        Map<BridgeFigures.Run, Outcome> outcomes = measure(plan, progress);
        List<Figure> figures = BridgeFigures.build(BridgeLineup.PATHS, outcomes,
                BridgeLineup.targets(host.reservation()));
        Results.write("bridge", host, plan.describe(), figures, out, progress, start);
        boolean failed = outcomes.values().stream().anyMatch(o -> o.measurement() == null);
        return failed ? 1 : 0;
    }

    /** Round by round, workload by workload, every path in turn: interleaved, see {@link Plan}. */
    private static Map<BridgeFigures.Run, Outcome> measure(Plan plan, PrintStream progress) throws InterruptedException {
        Map<BridgeFigures.Run, Outcome> outcomes = new HashMap<>();
        for (int round = 1; round <= plan.rounds(); round++) {
            for (Workload workload : Workload.values()) {
                for (BridgePath path : BridgeLineup.PATHS) {
                    BridgeFigures.Run run = new BridgeFigures.Run(path, workload);
                    Outcome sofar = outcomes.get(run);
                    if (!path.runs(workload) || (sofar != null && sofar.measurement() == null)) {
                        continue;
                    }
                    Counts counts = plan.counts(path, workload);
                    progress.printf("%s: %s, round %d/%d: %d %s... ", path.label(), workload.label(), round,
                            plan.rounds(), counts.measured(), workload.pipelined() ? "messages" : "round trips");
                    progress.flush();
                    Outcome outcome = measure(path, workload, counts);
                    progress.println(summary(outcome, workload));
                    outcomes.merge(run, outcome, Outcome::plus);
                }
            }
        }
        return outcomes;
    }

    private static Outcome measure(BridgePath path, Workload workload, Counts counts) throws InterruptedException {
        try {
            return Outcome.measured(path.measure(workload, counts));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return Outcome.none("failed: " + e.getMessage());
        }
    }

    private static String summary(Outcome outcome, Workload workload) {
        Measurement m = outcome.measurement();
        if (m == null) {
            return outcome.whyNone();
        }
        String rate = Math.round(m.perSecond()) + " msg/s";
        return workload.pipelined() ? rate : String.format("p50 %.1f us, p99 %.1f us, p99.9 %.1f us, %s",
                m.micros(50), m.micros(99), m.micros(99.9), rate);
    }
}
