package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code atomic bench recovery}: how long a service is gone when its process is killed, measured by a client whose
 * calls fail and then succeed again — with a warm spare, with a cold restart (AOT cache, no spare), and with a
 * systemd-style restart (100 ms, then a fresh JVM), side by side in one run. See {@link RecoveryRun},
 * {@link SystemdRun}.
 */
public final class RecoveryBench {
    /** Kills per setting: the issue asks for at least 100. */
    record Plan(String name, int kills) {
        static Plan full() {
            return new Plan("full", 100);
        }

        static Plan quick() {
            return new Plan("quick", 5);
        }
    }

    private RecoveryBench() {
    }

    public static Path defaultOutput() {
        return Results.defaultOutput("recovery");
    }

    /** @return 0, or 1 when a setting could not be measured (its figures say why) */
    public static int run(boolean quick, Path out, PrintStream progress) throws Exception {
        Plan plan = quick ? Plan.quick() : Plan.full();
        String loadBefore = Results.loadAverage();
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "recovery", plan.name(), host);
        progress.printf("warm spare: boot, then %d kills; recovery of each, ms:%n", plan.kills());
        RecoverySide warm = RecoveryRun.measure(true, true, plan.kills(), progress);
        progress.println("warm spare: " + warm.summary());
        progress.printf("warm spare, the death heard from the pidfd alone: boot, then %d kills; recovery of each, ms:%n",
                plan.kills());
        RecoverySide pidfd = RecoveryRun.measure(true, false, plan.kills(), progress);
        progress.println("warm spare, pidfd alone: " + pidfd.summary());
        progress.printf("cold restart: boot, then %d kills; recovery of each, ms:%n", plan.kills());
        RecoverySide cold = RecoveryRun.measure(false, true, plan.kills(), progress);
        progress.println("cold restart: " + cold.summary());
        progress.printf("systemd-style restart: %d kills; recovery of each, ms:%n", plan.kills());
        RecoverySide systemd = SystemdRun.measure(plan.kills(), progress);
        progress.println("systemd-style: " + systemd.summary());
        List<Figure> figures = RecoveryFigures.build(warm, pidfd, cold, systemd);
        Results.write("recovery", host, describe(plan) + " Load average (1, 5, 15 min) before the run: " + loadBefore
                + "; after: " + Results.loadAverage() + ".", figures, out, progress, start);
        return warm.whyNone() != null || pidfd.whyNone() != null || cold.whyNone() != null
                || systemd.whyNone() != null ? 1 : 0;
    }


    static String describe(Plan plan) {
        return "Recovery time: from the harness's SIGKILL of the serving process to the first successful reply seen by "
                + "a client whose call failed meanwhile (both times System.nanoTime(), the host's monotonic clock). "
                + "The client calls back to back from one thread (64 B round trips, 2 s deadline), retrying every "
                + "100 us after a failure. Atomic: system '" + RecoverySystem.WARM + "' then '" + RecoverySystem.COLD
                + "', each a fresh Sovereign, Engine and component hosts with the default carving and sandboxes, "
                + "'client' (Drivers & Apps) calling 'responder' (Services) through the Engine; the responder's "
                + "restart window is 1 s and kills are at least " + RecoveryRun.APART.toMillis() + " ms apart (plus "
                + "0-200 ms at random), so no restart waits for a back-off; the harness waits for the component "
                + "hosts' AOT cache before the first kill and, with spares, for a new spare before each kill. Warm: "
                + "the responder's manifest asks for a warm spare, which becomes it; the Engine hears the death from "
                + "the host lock the kernel releases as the process dies. Warm, pidfd alone: the same with the host "
                + "locks off (" + RecoveryRun.HOST_LOCKS_SWITCH + "=off), the death heard from the pidfd, readable "
                + "once the process is torn down. Cold: no spare, a new host JVM "
                + "started with the AOT cache. systemd-style: the harness plays systemd (Restart=always, "
                + "RestartSec=" + SystemdRun.RESTART_SEC.toMillis() + "ms): the service is a plain JVM answering on a "
                + "Unix socket, started afresh (default class-data sharing, no AOT cache) 100 ms after it is seen "
                + "gone; the client reconnects. " + plan.kills() + " kills per setting.";
    }
}
