package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code atomic bench storm}: the Engine's event path under an interrupt storm. One boot of {@link StormSystem} with
 * coalescing on (CPU per event at a steady rate, then key presses and the Sovereign's orders quiet and in storms),
 * one with it off (CPU per event at the same rate): side by side in one run.
 */
public final class StormBench {
    private StormBench() {
    }

    public static Path defaultOutput() {
        return Results.defaultOutput("storm");
    }

    /** @return 0, or 1 when a side could not be measured (its figures say why) */
    public static int run(boolean quick, Path out, PrintStream progress) throws Exception {
        StormMeasure.Plan plan = quick ? StormMeasure.Plan.quick() : StormMeasure.Plan.full();
        String loadBefore = Results.loadAverage();
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "storm", plan.name(), host);
        StormMeasure.Cpu on = null;
        StormMeasure.Cpu off = null;
        StormMeasure.Phase quiet = null;
        StormMeasure.Phase storm = null;
        String whyNoCpu = null;
        String whyNoStorm = null;
        try (StormRun run = StormRun.boot(true)) {
            progress.printf("coalescing on: %d readings/s for %d s;", StormMeasure.PACED_RATE, plan.cpuSeconds());
            on = StormMeasure.cpu(run, plan, progress);
            progress.printf("quiet: key presses and order pings for %d s%n", plan.quietSeconds());
            quiet = StormMeasure.quiet(run, plan);
            progress.printf("storms: %d, each until the Engine cuts the sensor off%n", plan.storms());
            storm = StormMeasure.storms(run, plan, progress);
        } catch (Exception e) {
            progress.println();
            whyNoStorm = "failed: " + e.getMessage();
            whyNoCpu = on == null ? whyNoStorm : null;
        }
        if (whyNoCpu == null) {
            try (StormRun run = StormRun.boot(false)) {
                progress.printf("coalescing off: %d readings/s for %d s;", StormMeasure.PACED_RATE, plan.cpuSeconds());
                off = StormMeasure.cpu(run, plan, progress);
                if (off.coalescedFrames() > 0) {
                    throw new IllegalStateException("not a fair baseline: " + off.coalescedFrames() + " of "
                            + off.frames() + " frames stood for more than one reading with coalescing off");
                }
            } catch (Exception e) {
                progress.println();
                whyNoCpu = "coalescing off failed: " + e.getMessage();
            }
        }
        Results.write("storm", host, describe(plan) + " Load average (1, 5, 15 min) before the run: " + loadBefore
                        + "; after: " + Results.loadAverage() + ".",
                StormFigures.build(on, off, whyNoCpu, quiet, storm, whyNoStorm), out, progress, start);
        return whyNoCpu != null || whyNoStorm != null ? 1 : 0;
    }

    static String describe(StormMeasure.Plan plan) {
        return "System '" + StormSystem.NAME + "': the input driver (key presses, " + "200/s, critical events) and "
                + "input-sink, the sensor driver and sensor-sink, as their modules ship them, and a conductor through "
                + "which the harness calls the sensor's service; each a sandboxed component of the Drivers & Apps "
                + "kernel, default carving. CPU per event: the sensor sends " + StormMeasure.PACED_RATE
                + " readings/s for " + plan.warmSeconds() + " s of warm-up, is calm for " + (1 + plan.cpuSeconds())
                + " s, then sends again for " + plan.cpuSeconds() + " s measured: the CPU time of the Engine's cgroup "
                + "(the Engine and its idle standby) and of sensor-sink's while it sends, less their CPU time over the "
                + "last " + plan.cpuSeconds() + " s of calm (what they spend anyway), over the readings sensor-sink "
                + "accounts for (a coalesced frame counts for every reading it stands for); "
                + "once in a boot as is, once in a boot whose Engine runs with ATOMIC_ENGINE_COALESCING=off (it then "
                + "sets the sensor no window, so its SDK merges nothing either: the same sensor, every reading a frame, "
                + "checked). The sensor's own CPU per event is beside them, not in the figure. Key "
                + "press latency: from the driver's System.nanoTime() at the press to input-sink's on receipt (the "
                + "host's monotonic clock), in input-sink's HdrHistogram, with its three hops from the times its frame "
                + "carries (the SDK's send, the Engine passing it on), read from its state directory before and "
                + "after each phase and subtracted: quiet for " + plan.quietSeconds() + " s, then during " 
                + plan.storms() + " storm(s), each from the order that starts it until the Engine's STORM report "
                + "(the sensor sending back to back, its readings merged at the source, cut off after 1 s over its "
                + "budget of 200 000/s), the sensor waited back and " + plan.quietSeconds() + " s of calm between "
                + "storms. Recovery orders: 'order-ping' on the Sovereign's control socket every 20 ms, an "
                + "ORDER_PING on the orders lane every Sovereign order takes; served = from the Sovereign's send to "
                + "the Engine reading it (both System.nanoTime()), round trip = until its answer is back.";
    }
}
