package dev.atomic.bench;

import dev.atomic.auditor.Auditor;
import dev.atomic.auditor.HostReport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code atomic bench failover}: how long the system goes without an Engine when the active one is killed, and
 * whether a committed message is lost, with a warm standby Engine and, side by side in the same run, with a cold
 * restart (no standby). See {@link FailoverRun}, {@link FailoverLedger}.
 */
public final class FailoverBench {
    /** Kills per setting: the issue asks for at least 50 with the standby; the cold baseline is slower, and fewer. */
    record Plan(String name, int warmKills, int coldKills) {
        static Plan full() {
            return new Plan("full", 50, 10);
        }

        static Plan quick() {
            return new Plan("quick", 5, 2);
        }
    }

    private FailoverBench() {
    }

    public static Path defaultOutput() {
        return Results.defaultOutput("failover");
    }

    /** @return 0, or 1 when a setting could not be measured (its figures say why) */
    public static int run(boolean quick, Path out, PrintStream progress) throws Exception {
        Plan plan = quick ? Plan.quick() : Plan.full();
        String loadBefore = Results.loadAverage();
        HostReport host = Auditor.audit();
        long start = System.nanoTime();
        Results.announce(progress, "failover", plan.name(), host);
        progress.printf("warm standby: boot, then %d kills; failover of each, ms (death seen / ready / first routed):%n", plan.warmKills());
        FailoverSide warm = FailoverRun.measure(true, plan.warmKills(), progress);
        progress.println("warm standby: " + warm.summary());
        progress.printf("cold restart: boot, then %d kills; failover of each, ms (death seen / ready / first routed):%n", plan.coldKills());
        FailoverSide cold = FailoverRun.measure(false, plan.coldKills(), progress);
        progress.println("cold restart: " + cold.summary());
        List<Figure> figures = FailoverFigures.build(warm, cold);
        Results.write("failover", host, describe(plan) + " Load average (1, 5, 15 min) before the run: " + loadBefore
                + "; after: " + Results.loadAverage() + ".", figures, out, progress, start);
        return warm.whyNone() != null || cold.whyNone() != null ? 1 : 0;
    }


    static String describe(Plan plan) {
        return "System '" + FailoverSystem.NAME + "' booted twice, each a fresh Sovereign, Engine and component hosts "
                + "with the default carving: with a warm standby Engine (the default), then with none (atomic boot "
                + "--no-standby: a cold Engine replaces the dead one). In the Drivers & Apps kernel, 'caller' calls "
                + "'responder' (Services kernel, answering at once) through the Engine from " + FailoverSystem.CALLERS
                + " threads, back to back with no pause, every call numbered, " + FailoverSystem.TIMEOUT.toMillis()
                + " ms deadline. After " + FailoverRun.SETTLE.toSeconds() + " s of traffic, the harness kills the "
                + "active Engine with SIGKILL " + plan.warmKills()
                + " times (warm) and " + plan.coldKills() + " times (cold), each 100 to 400 ms after the new standby "
                + "said it was warm (warm) or after the previous failover (cold), with the Engine restart budget "
                + "raised to " + FailoverRun.RESTARTS_PER_MINUTE + " a minute. Failover is what the Sovereign prints: "
                + "from the old Engine's last heartbeat to the first message the new one routed (a reply reaching "
                + "its caller), with its stages. A committed message is lost when a call ended with neither its "
                + "reply nor a clean failure (an ERROR before its deadline), or when the responder committed a reply "
                + "(its handler returned it; the SDK then always writes it) that did not reach the caller; the caller "
                + "and the responder keep books of every call by number, compared at the end.";
    }
}
