package dev.atomic.bench;

import dev.atomic.drivers.input.KeyStats;
import dev.atomic.drivers.sensor.ReadingStats;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The phases of the storm benchmark, each on a booted {@link StormRun}. */
final class StormMeasure {
    /** The sensor's steady rate while CPU is measured: far above the calm rate, within its budget (200 000/s). */
    static final int PACED_RATE = 50_000;
    private static final Pattern CUT_OFF = Pattern.compile("FAULT sensor \\(dak\\): storm: .*cut off");
    private static final Pattern BACK = Pattern.compile("sensor \\(dak\\) is back");
    private static final Pattern ATTEMPTED = Pattern.compile("sensor: storm: (\\d+) readings attempted");
    private static final long PING_EVERY_MILLIS = 20;
    private static final long STORM_LIMIT_SECONDS = 60;

    /**
     * CPU the event path used while the sensor sent {@link #PACED_RATE} readings a second, and over as long before it
     * with the sensor calm: what the Engine and the sink spend anyway (the Engine's periodic work, the JIT).
     */
    record Cpu(long engineNanos, long sinkNanos, long idleEngineNanos, long idleSinkNanos, long readings,
               long frames, long coalescedFrames, long sensorNanos, long idleSensorNanos, String window) {
        /** What the events added, per event: the figure judged. */
        double perEvent() {
            return Target.significant((double) (engineNanos + sinkNanos - idleEngineNanos - idleSinkNanos)
                    / readings);
        }

        double enginePerEvent() {
            return Target.significant((double) (engineNanos - idleEngineNanos) / readings);
        }

        /** The source's own CPU beyond its idle use, per event: where merging at the source costs, if anywhere. */
        double sensorPerEvent() {
            return Target.significant((double) (sensorNanos - idleSensorNanos) / readings);
        }

        /** All the CPU used while the events flowed, per event. */
        double grossPerEvent() {
            return Target.significant((double) (engineNanos + sinkNanos) / readings);
        }
    }

    /** Key-press latencies and order pings, while quiet or in storms; and what the storms were. */
    record Phase(Histogram keys, Histogram[] hops, List<StormRun.Ping> pings, long lost, long stormRate, int storms) {
        Histogram hop(KeyStats.Hop hop) {
            return hops[hop.ordinal()];
        }
    }

    private StormMeasure() {
    }

    static Cpu cpu(StormRun run, Plan plan, PrintStream progress) throws Exception {
        run.order("rate " + PACED_RATE);
        TimeUnit.SECONDS.sleep(plan.warmSeconds()); // the JIT compiles the event path under its load
        run.order("rate 0");
        TimeUnit.SECONDS.sleep(1);
        long[] idle = cpuOver(run, plan.cpuSeconds());
        run.order("rate " + PACED_RATE);
        ReadingStats.Snapshot before = run.readings();
        long[] busy = cpuOver(run, plan.cpuSeconds());
        ReadingStats.Snapshot after = run.readings();
        run.order("rate 0");
        Cpu cpu = new Cpu(busy[0], busy[1], idle[0], idle[1], after.readings() - before.readings(),
                after.frames() - before.frames(), after.coalescedFrames() - before.coalescedFrames(), busy[2], idle[2],
                PolicyLive.windows(PolicyLive.windowChanges(run.logDir().resolve("tunables.jsonl"))));
        progress.printf(" %d readings in %d frames, %.0f ns CPU each beyond idle (Engine %.0f), %.0f in all%n",
                cpu.readings(), cpu.frames(), cpu.perEvent(), cpu.enginePerEvent(), cpu.grossPerEvent());
        return cpu;
    }

    /** The Engine's, sensor-sink's and the sensor's CPU time over {@code seconds}, nanoseconds. */
    private static long[] cpuOver(StormRun run, int seconds) throws InterruptedException {
        long engine = run.cpuNanos("engine");
        long sink = run.cpuNanos("dak/sensor-sink");
        long sensor = run.cpuNanos("dak/sensor");
        TimeUnit.SECONDS.sleep(seconds);
        return new long[]{run.cpuNanos("engine") - engine, run.cpuNanos("dak/sensor-sink") - sink,
                run.cpuNanos("dak/sensor") - sensor};
    }

    /** Key presses and order pings with the sensor calm. */
    static Phase quiet(StormRun run, Plan plan) throws Exception {
        KeyStats.Snapshot before = run.keys();
        List<StormRun.Ping> pings = ping(run, System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.quietSeconds()),
                () -> false);
        KeyStats.Snapshot after = run.keys();
        Histogram[] hops = hops();
        addHops(hops, before, after);
        return new Phase(after.latencySince(before), hops, pings, lost(before, after), 0, 0);
    }

    /**
     * Storms, one after another: each switched on, pinged through until the Engine cuts the sensor off, then the
     * sensor is waited back. Key presses are counted from the switch to the cut-off.
     */
    static Phase storms(StormRun run, Plan plan, PrintStream progress) throws Exception {
        Histogram keys = new Histogram(3);
        Histogram[] hops = hops();
        List<StormRun.Ping> pings = new ArrayList<>();
        long lost = 0;
        for (int storm = 1; storm <= plan.storms(); storm++) {
            KeyStats.Snapshot before = run.keys();
            int from = run.lines();
            run.order("storm");
            long start = System.nanoTime();
            List<StormRun.Ping> these = ping(run, start + TimeUnit.SECONDS.toNanos(STORM_LIMIT_SECONDS),
                    () -> run.saidSince(from, CUT_OFF));
            if (!run.saidSince(from, CUT_OFF)) {
                throw new IllegalStateException("the storm was not cut off within " + STORM_LIMIT_SECONDS + " s");
            }
            KeyStats.Snapshot after = run.keys();
            keys.add(after.latencySince(before));
            addHops(hops, before, after);
            pings.addAll(these);
            lost += lost(before, after);
            progress.printf(" storm %d: cut off after %.1f s, %d key presses, %d order pings%n", storm,
                    (System.nanoTime() - start) / 1e9, after.received() - before.received(), these.size());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(STORM_LIMIT_SECONDS);
            while (!run.saidSince(from, BACK)) {
                if (System.nanoTime() - end > 0) {
                    throw new IllegalStateException("the sensor was not back within " + STORM_LIMIT_SECONDS + " s");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            TimeUnit.SECONDS.sleep(plan.quietSeconds()); // the Engine's storm windows and the JIT settle
        }
        long rate = 0;
        for (Matcher m = ATTEMPTED.matcher(run.sensorLog()); m.find(); ) {
            rate = Math.max(rate, Long.parseLong(m.group(1)));
        }
        return new Phase(keys, hops, pings, lost, rate, plan.storms());
    }

    private static Histogram[] hops() {
        Histogram[] hops = new Histogram[KeyStats.Hop.values().length];
        for (int i = 0; i < hops.length; i++) {
            hops[i] = new Histogram(3);
        }
        return hops;
    }

    private static void addHops(Histogram[] hops, KeyStats.Snapshot before, KeyStats.Snapshot after) {
        for (KeyStats.Hop hop : KeyStats.Hop.values()) {
            hops[hop.ordinal()].add(after.hopSince(hop, before));
        }
    }

    /** Key presses lost, reordered or coalesced between two readings: each must be 0. */
    private static long lost(KeyStats.Snapshot before, KeyStats.Snapshot after) {
        return after.gaps() - before.gaps() + after.reordered() - before.reordered() + after.coalesced()
                - before.coalesced() + after.malformed() - before.malformed();
    }

    /** Order pings every {@link #PING_EVERY_MILLIS} ms until {@code endNanos} or {@code done}. */
    private static List<StormRun.Ping> ping(StormRun run, long endNanos, Done done) throws Exception {
        List<StormRun.Ping> pings = new ArrayList<>();
        while (System.nanoTime() - endNanos < 0 && !done.yet()) {
            pings.add(run.orderPing());
            TimeUnit.MILLISECONDS.sleep(PING_EVERY_MILLIS);
        }
        return pings;
    }

    private interface Done {
        boolean yet() throws Exception;
    }

    /** How long each phase lasts. */
    record Plan(String name, int warmSeconds, int cpuSeconds, int quietSeconds, int storms) {
        static Plan full() {
            return new Plan("full", 10, 10, 5, 5);
        }

        static Plan quick() {
            return new Plan("quick", 3, 3, 2, 1);
        }
    }
}
