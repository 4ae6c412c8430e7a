package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;
import dev.atomic.policy.live.ModelCache;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code atomic bench policy --live}: the policies acting in a live system, on against off (issue 7). The same system
 * and the same faults booted twice, once with the learned policies off (the baseline: every tunable on its default)
 * and once on; figures: faults prevented, the leaker's recovery time, CPU per event.
 */
public final class PolicyLiveBench {
    static final String MS = "ms";
    static final String NS = "ns";
    static final String RECOVERY_OFF = "leaker's recovery, policies off (the baseline)";
    static final String CPU_OFF = "CPU per event, policies off (the baseline)";
    /** Tribuo says how each step of training went at INFO; held here, or the setting is collected with it. */
    private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

    private PolicyLiveBench() {
    }

    public static Path defaultOutput() {
        return Results.defaultOutput("policy-live");
    }

    /** @return 0, or 1 when a side could not be run (its figures say why) */
    public static int run(Path out, PrintStream progress) throws Exception {
        TRIBUO.setLevel(Level.WARNING);
        String loadBefore = Results.loadAverage();
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "policy --live", "full", host);
        Path models = Path.of(System.getProperty("java.io.tmpdir"), "atomic-bench-models");
        progress.print("the learned policies' models (trained on seeds " + ModelCache.SEEDS.getFirst() + "-"
                + ModelCache.SEEDS.getLast() + ", cached in " + models + ")... ");
        progress.flush();
        long t = System.nanoTime();
        for (ModelCache<?> cache : ModelCache.ALL) {
            cache.loadOrTrain(models);
        }
        progress.printf("ready in %.1f s%n", (System.nanoTime() - t) / 1e9);
        PolicyLive.Side off = null;
        PolicyLive.Side on = null;
        String why = null;
        try {
            progress.print("policies off:");
            off = PolicyLive.run(false, models, progress);
            progress.print("policies on:");
            on = PolicyLive.run(true, models, progress);
        } catch (Exception e) {
            progress.println();
            why = "failed: " + e.getMessage();
        }
        Results.write("policy-live", host, describe() + " Load average (1, 5, 15 min) before the run: " + loadBefore
                + "; after: " + Results.loadAverage() + ".", figures(on, off, why), out, progress, start);
        return why == null ? 0 : 1;
    }

    static List<Figure> figures(PolicyLive.Side on, PolicyLive.Side off, String why) {
        List<Figure> f = new ArrayList<>();
        boolean both = on != null && off != null;
        f.add(Target.above(0, "faults").because("issue 7: policies on prevent failures that happen with them off")
                .judge("faults prevented (the leaker's fault reports, off less on)", both
                        ? (double) (off.leakerFaults() - on.leakerFaults()) : null, "faults", null, why));
        f.add(Target.atMost(1.0, RECOVERY_OFF).judge("leaker's recovery, policies on", on == null ? null
                : on.recoveryMillis(), MS, off == null ? null : off.recoveryMillis(), why != null ? why
                : "from its fault, or for a planned restart from its exit, to serving again"));
        f.add(Figure.info(RECOVERY_OFF, off == null ? null : off.recoveryMillis(), MS, why));
        f.add(Target.atMost(1.0, CPU_OFF).judge("CPU per event, policies on", on == null ? null : on.cpuPerEvent(),
                NS, off == null ? null : off.cpuPerEvent(), why != null ? why : cpuNote(on)));
        f.add(Figure.info(CPU_OFF, off == null ? null : off.cpuPerEvent(), NS, why != null ? why : cpuNote(off)));
        f.add(Figure.info("policy 4's changes to the sensor's coalescing window, policies on", on == null ? null
                : (double) on.windowChanges(), "changes", on == null ? why : on.windows()));
        f.add(Figure.info("leaker's fault reports, policies off", off == null ? null : (double) off.leakerFaults(),
                "faults", why));
        f.add(Figure.info("leaker's fault reports, policies on", on == null ? null : (double) on.leakerFaults(),
                "faults", why));
        f.add(Figure.info("planned restarts of the leaker on a predicted failure, policies on", on == null ? null
                : (double) on.planned(), "restarts", why));
        f.add(Figure.info("planned restarts of components not leaking (false alarms), policies on", on == null
                ? null : (double) on.plannedOthers(), "restarts", why));
        f.add(Figure.info("fault reports of every component, policies off", off == null ? null
                : (double) off.faults(), "faults", why));
        f.add(Figure.info("fault reports of every component, policies on", on == null ? null : (double) on.faults(),
                "faults", why));
        return f;
    }

    private static String cpuNote(PolicyLive.Side s) {
        return s == null ? null : "Engine and sensor-sink CPU over " + s.readings() + " readings in "
                + PolicyLive.CPU_SECONDS + " s (idle not subtracted); " + s.windows();
    }

    static String describe() {
        return "System '" + StormSystem.POLICY_LIVE + "': the storm benchmark's (input driver and sink, sensor "
                + "driver and sink, conductor) and slow-leaker, a Drivers & Apps component with a 256 MiB limit that "
                + "runs steady for " + SlowLeaker.LEAK_AFTER.toSeconds() + " s, then maps and touches "
                + SlowLeaker.STEP / CarvingSystem.MIB + " MiB a second. Booted twice, the same way: once with "
                + "ATOMIC_ENGINE_POLICIES=off (the fixed thresholds only; every tunable on its default), once with "
                + "the learned policies on (the models of policies 1, 2 and 3, trained on the trace generator's seeds "
                + ModelCache.SEEDS.getFirst() + "-" + ModelCache.SEEDS.getLast() + " and put in the "
                + "home: policy 1's early warnings, policy 2's failure predictions, policy 3's sizes, policy 5's tier "
                + "advice; policy 4, adaptive coalescing) and ATOMIC_ENGINE_PROACTIVE=restart (a predicted failure may "
                + "restart the component, planned). In both, the sensor sends " + PolicyLive.RATE + " readings/s "
                + "from the boot on. CPU per event: the CPU time of the Engine's cgroup (the Engine and its idle "
                + "standby) and of sensor-sink's from " + PolicyLive.CPU_FROM_SECONDS + " s to "
                + (PolicyLive.CPU_FROM_SECONDS + PolicyLive.CPU_SECONDS) + " s after the boot, over the readings "
                + "sensor-sink accounts for. Then each run waits (at most " + PolicyLive.OUTCOME_SECONDS + " s from "
                + "the boot) for the leaker to be back after whatever befell it: a fault report (the Engine's leak "
                + "rule, or the kernel at its limit) or a planned restart on policy 2's prediction. Faults prevented: "
                + "the leaker's fault reports with policies off less those with them on. Recovery: Atomic's "
                + "'is back ... recovered' line for the leaker.";
    }
}
