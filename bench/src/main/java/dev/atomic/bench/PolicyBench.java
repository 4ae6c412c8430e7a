package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;
import dev.atomic.policy.eval.Experiment;
import dev.atomic.policy.learned.Alarm;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code atomic bench policy}: the learned policies against fixed thresholds, offline (policy/README.md). Trains
 * policies 1 and 2 on the generated traces of one set of seeds, replays every detector over the traces of held-out
 * seeds, and scores them against the labels. No system is booted: the figures are about judgement, not speed.
 */
public final class PolicyBench {
    static final int TRAINING_SEEDS = 30;
    static final int HELD_OUT_SEEDS = 50;
    static final int QUICK_SEEDS = 8;
    /** Tribuo says how each epoch of training went at INFO; held here, or the setting is collected with it. */
    private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

    private PolicyBench() {
    }

    public static Path defaultOutput() {
        return Results.defaultOutput("policy");
    }

    public static int run(boolean quick, Path out, PrintStream progress) throws Exception {
        TRIBUO.setLevel(Level.WARNING);
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "policy", quick ? "quick" : "full", host);
        int training = quick ? QUICK_SEEDS : TRAINING_SEEDS;
        int heldOut = quick ? QUICK_SEEDS : HELD_OUT_SEEDS;
        progress.printf("training on the traces of %d seeds, evaluating on %d held-out seeds... ", training, heldOut);
        progress.flush();
        Experiment.Result r = Experiment.seeds(training, heldOut).run();
        progress.printf("trained in %.1f s%n", r.trainingMillis() / 1000.0);
        Results.write("policy", host, describe(r, Results.loadAverage()), PolicyFigures.build(r), out, progress,
                start);
        return 0;
    }

    static String describe(Experiment.Result r, String load) {
        return "Offline, no boot. Traces from policy's TraceGenerator: per seed, 2 healthy, 2 noisy-but-healthy, "
                + "one leak, one hang, one storm, one crash loop, one observation a second, each component drawn "
                + "its own memory, limit, traffic, budget and latency (policy/README.md). Policy 1 (anomaly: "
                + "Tribuo one-class SVM over each component's deviations from its own baseline, fit on healthy "
                + "ticks only) and policy 2 (failure within 30 s: a Tribuo random forest) trained on "
                + r.trainingTraces() + " traces of seeds 1.., their alarms calibrated on those traces only ("
                + alarm(r.anomalyAlarm()) + "; " + alarm(r.failureAlarm()) + "), in " + r.trainingMillis()
                + " ms; then every detector replayed over " + r.heldOutTraces() + " traces of held-out seeds from "
                + "20001. A fault is detected in time by an alarm from its onset up to, not at, its failure; its "
                + "lead is the time then left; an alarm at or after the failure is late (a lead of 0 or less; "
                + "counted apart from recall and precision, within the median lead); an alarm on a healthy "
                + "component or before a fault's onset is false; after an alarm the component is not judged for 30 s. Each "
                + "fixed threshold is judged on the faults it is meant for, with every healthy and noisy trace: "
                + "the systemd-oomd-like threshold (PSI memory some avg10 >= 60% for 30 s) on leaks; the static "
                + "rate limits (rate budget, over 10 errors/s for 3 s, 3 restarts a minute, 10 s without "
                + "progress) on storms, hangs and crash loops; all of them with the Engine's leak rule on every "
                + "fault. Recall and precision in percent. Policy 3 (sizing: a Tribuo regression forest per measure, "
                + "memory and CPU, its margin from training traces it was not fit on) is trained on the same traces "
                + "and replayed through a PolicyRunner over the held-out healthy stretches after the first minute, "
                + "beside the manifest's static sizes and a rule (1.5 times the highest seen): a kill is memory over "
                + "the limit in force, a throttled tick CPU over the quota; unused is the mean per tick. Policy 5 "
                + "(tier choice, scored by policy 1's model and alarm) is replayed over the held-out traces beside a "
                + "rule (promoted after a minute without a fault): a promotion fails when the component fails while "
                + "promoted. Load average (1, 5, 15 min) at the end: " + load + ".";
    }

    private static String alarm(Alarm a) {
        return String.format("score >= %.3g for %d tick(s)", a.threshold(), a.ticks());
    }
}
