package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import dev.atomic.component.RestartPolicy;
import dev.atomic.component.Say;
import dev.atomic.component.StateKind;
import dev.atomic.system.PidFd;
import dev.atomic.system.Signals;
import dev.atomic.system.SyscallException;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.LongSupplier;


/**
 * Brings components up and back. The Engine decides; the Sovereign, parent of every partition process, starts
 * them. A death is seen by the process's pidfd; the component is contained (its calls failed, its lanes reset) and
 * started again as its restart policy says ({@link RestartSchedule}): at most {@code limit} times in {@code window}
 * (5 in 30 s by default), the first at once and later ones backing off, or never; then it is given up on, with the
 * reason.
 */
final class Supervisor {
    /** How long a partition host has to unload a Tier 1 component contained live before the host is killed. */
    static final long UNLOAD_WITHIN_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    /** What the Supervisor tells its Engine. */
    interface Listener {
        /** A component became ready, or will not be (given up); the boot may move on. */
        void settled(Member m);

        /** A component is gone: its calls and lanes must be dealt with before it starts again. */
        int gone(Member m);

        void say(String text);

        void fault(FaultReport report);

        /** The component is serving again after a fault, {@code nanos} after it was detected. */
        default void recovered(Member m, long nanos) {
        }

        /** How process {@code pid} of the component ended, as its parent saw it: often after its death was handled. */
        default void exitKnown(Member m, long pid, String how) {
        }

        /** An idle on-demand service exited as it was asked to: not a fault. */
        default void stoppedWhenIdle(Member m) {
        }
    }

    private final ControlRegion control;
    private final Member[] members;
    private final ExitWatcher exits;
    private final Listener engine;
    private final StateMirror mirror;
    /**
     * A death's report is filed once its component is back (its dependents told first), or this long after its
     * restart was ordered, whichever comes first: a warm spare is back sooner, a cold start later.
     */
    static final long REPORT_AFTER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);
    /** How long after a restarted component is back its death's report and the words saying so are made. */
    static final long BACK_WORDS_AFTER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);

    /** Work for the fault log, due at {@code due}; what follows a deferred report waits behind it, in order. */
    private record Filing(long due, Runnable work) {
    }

    private final java.util.ArrayDeque<Filing> filings = new java.util.ArrayDeque<>();
    /** Monotonic nanoseconds: the back-off's clock, a test's own. */
    private final LongSupplier clock;
    private boolean stopping;
    /** Tier 1 components their partition host unloaded, handled as exits on the next tick. */
    private final java.util.ArrayDeque<ExitWatcher.Exit> unloads = new java.util.ArrayDeque<>();

    Supervisor(ControlRegion control, Member[] members, ExitWatcher exits, Listener engine, StateMirror mirror) {
        this(control, members, exits, engine, mirror, System::nanoTime);
    }

    Supervisor(ControlRegion control, Member[] members, ExitWatcher exits, Listener engine, StateMirror mirror,
               LongSupplier clock) {
        this.clock = clock;
        this.control = control;
        this.members = members;
        this.exits = exits;
        this.engine = engine;
        this.mirror = mirror;
    }

    void stopping() {
        stopping = true;
    }

    void spawn(Member m) {
        m.demotion.starting(); // a policy's planned demotion (or its lifting) is this start's: the Sovereign knows
        m.gaveUpReason = null;
        m.state = Member.State.SPAWNING;
        m.spawnNanos = System.nanoTime();
        m.idle = Member.Idle.AWAKE;
        m.lastBusy = m.spawnNanos;
        control.admin().offer(FrameType.SPAWN, -1, m.slot, 0, m.segment.generation(), 0, 0);
        mirror.member(m);
    }

    /**
     * A restarted Engine takes over a component that kept running: it watches the pid the Sovereign recorded when it
     * started it, never the one in the component's lane segment, which the component can write: else it could have
     * the Engine watch, and contain, the Sovereign. False when that process is gone: it must be started again.
     */
    boolean adopt(Member m) {
        long pid = control.slotPid(m.slot);
        if (pid <= 0) {
            return false;
        }
        if (m.segment.componentPid() != pid) {
            engine.say(m.label() + "'s lane segment names pid " + m.segment.componentPid() + ", the Sovereign started "
                    + pid + ": adopting " + pid);
        }
        try {
            m.pidFd = PidFd.open(pid);
        } catch (SyscallException e) {
            return false;
        }
        m.pid = pid;
        // Routed to only if it finished its init; otherwise its COMPONENT_READY is still to come.
        m.state = m.segment.componentReady() ? Member.State.READY : Member.State.STARTING;
        exits.watch(m.slot, m.pidFd);
        mirror.member(m);
        return true;
    }

    /**
     * A successor watches the process its predecessor's mirror names for a running component; false when it is
     * gone (its death is then handled as any other).
     */
    boolean watch(Member m) {
        try {
            m.pidFd = PidFd.open(m.pid);
        } catch (SyscallException e) {
            return false;
        }
        exits.watch(m.slot, m.pidFd);
        return true;
    }

    void onSpawned(Member m, int generation, long pid) {
        if (m == null || m.state != Member.State.SPAWNING || generation != m.segment.generation()) {
            return;
        }
        m.pid = pid;
        m.state = Member.State.STARTING;
        if (m.pidFd != null && m.pidFd.pid() == pid) {
            mirror.member(m); // a Tier 1 component reloaded in the partition host it was unloaded from: still watched
            return;
        }
        m.closePidFd();
        try {
            m.pidFd = PidFd.open(pid);
            exits.watch(m.slot, m.pidFd);
        } catch (SyscallException e) {
            // It died before we could watch it: the same as a death seen by the pidfd.
            onExit(new ExitWatcher.Exit(m.slot, pid, System.nanoTime()));
        }
        mirror.member(m);
    }

    void onSpawnFailed(Member m, String why) {
        if (m == null) {
            return;
        }
        giveUp(m, "it could not be started: " + why, "could not start " + m.label() + ": " + why);
        mirror.member(m);
    }

    /**
     * True when the HELLO is from the incarnation the Engine started (or adopted: a new Engine may find a HELLO its
     * predecessor left unanswered); the caller then welcomes it. It is not ready until it says so.
     */
    boolean onHello(Member m, int generation, long pid) {
        boolean adopted = m.state == Member.State.READY || m.state == Member.State.STARTING;
        return adopted && generation == m.segment.generation() && pid == m.pid;
    }

    /** The component finished its init and start: from now on it is routed to. */
    void onReady(Member m) {
        if (m.state != Member.State.STARTING) {
            return;
        }
        m.state = Member.State.READY;
        long recovered = m.faultNanos != 0 ? System.nanoTime() - m.faultNanos : -1;
        m.faultNanos = 0;
        boolean planned = m.backFromPlanned;
        m.backFromPlanned = false;
        mirror.member(m);
        engine.settled(m); // its dependents hear it is back before the words below are made
        if (recovered >= 0) {
            // Its death's report, held while it started, then the words saying it is back: a little later, once its
            // first calls went through. Said, they wake the Sovereign and whoever reads its output, which on few
            // CPUs would take turns with the caller and the component just as the first calls cross.
            long due = clock.getAsLong() + BACK_WORDS_AFTER_NANOS;
            fileBy(due);
            long pid = m.pid;
            filings.add(new Filing(due, () -> {
                if (!planned) {
                    engine.recovered(m, recovered);
                }
                engine.say(m.label() + " is back: pid " + pid + ", recovered " + Say.millis(recovered) + " after "
                        + (planned ? "it stopped for its planned restart" : "the fault was detected"));
            }));
        }
    }

    /**
     * Contains a misbehaving component that is still alive: kills it through its pidfd. Its death then takes the
     * ordinary path (calls failed, lanes reset, restart), so a flooder or a lane corrupter is treated like a crash.
     */
    void contain(Member m, FaultReport.Kind kind, String evidence) {
        contain(m, kind, evidence, -1);
    }

    /** @param detectNanos how long the fault lasted before it was found, or -1 when unknown */
    void contain(Member m, FaultReport.Kind kind, String evidence, long detectNanos) {
        contain(m, kind, evidence, detectNanos, java.util.Map.of());
    }

    /** @param facts what the detector measured, for the report */
    void contain(Member m, FaultReport.Kind kind, String evidence, long detectNanos, java.util.Map<String, Object> facts) {
        if (m.pidFd == null || m.containing) {
            return;
        }
        m.containing = true;
        if (m.spec.tier() == 1 && !m.demotion.demoted()) {
            // Its neighbours share its process: the partition host unloads it alone (DEMOTE tells the Sovereign to),
            // and only when that does not happen in time is the host killed.
            m.demotion.now();
            m.unloadBy = clock.getAsLong() + UNLOAD_WITHIN_NANOS;
            m.pendingFault = new FaultReport(System.currentTimeMillis(), m.spec.id(), m.spec.kernel().word(), kind,
                    evidence, "cut off: unloaded from its partition host (pid " + m.pid + "), whose other components "
                    + "run on; its calls failed, lanes reset; " + Demotion.containedReason()).withDetect(detectNanos)
                    .withFacts(facts);
            demote(m, Demotion.containedReason());
            mirror.member(m); // a successor, should this Engine die now, still waits for the unload
            return;
        }
        m.pendingFault = new FaultReport(System.currentTimeMillis(), m.spec.id(), m.spec.kernel().word(), kind,
                evidence, "cut off: process " + m.pid + " killed, its calls failed, lanes reset").withDetect(detectNanos)
                .withFacts(facts);
        m.kill();
    }

    /**
     * A planned restart, as an update switches the component's image: it is asked to stop (the Sovereign kills it
     * if it does not) and started again as soon as it is gone — no fault report, outside its restart budget. One that
     * is not running (given up on, or refused) is simply started.
     */
    void restart(Member m) {
        if (m == null || stopping) {
            return;
        }
        if (m.pidFd == null || m.state == Member.State.GAVE_UP || m.state == Member.State.STOPPED) {
            m.restarts.clear();
            m.restartAt = 0;
            engine.say("starting " + m.label() + " as asked (planned restart)");
            spawn(m);
            return;
        }
        m.plannedRestart = true;
        if (m.spec.state() == StateKind.CHECKPOINTED) {
            // Ahead of STOP on the same lane: its last state reaches the Engine before it exits.
            m.segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.CHECKPOINT, -1, m.slot, 0, 0, 0, 0);
        }
        m.segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.STOP, -1, m.slot, 0, 0, 0, 0);
        mirror.member(m);
        engine.say("restarting " + m.label() + " as planned: asked pid " + m.pid + " to stop");
    }

    void onExit(ExitWatcher.Exit e) {
        handleExit(e);
        mirror.member(members[e.slot()]);
    }

    private void handleExit(ExitWatcher.Exit e) {
        Member m = members[e.slot()];
        if (m.pid != e.pid() || m.state == Member.State.STOPPED) {
            if (m.pid == e.pid() && m.pidFd != null && m.pidFd.pid() == e.pid()) {
                m.closePidFd(); // the partition host of an unloaded Tier 1 component ended meanwhile
            }
            return;
        }
        boolean unloaded = m.unloaded;
        boolean unloadFailed = m.unloadFailed;
        m.unloaded = false;
        m.unloadFailed = false;
        if (!unloaded || stopping) {
            m.closePidFd(); // an unloaded Tier 1 component's process lives on: its pidfd stays watched
        }
        if (stopping) {
            m.state = Member.State.STOPPED;
            return;
        }
        if (m.idle == Member.Idle.STOPPING) {
            engine.gone(m);
            m.state = Member.State.STOPPED;
            m.segment.resetForNextGeneration();
            engine.stoppedWhenIdle(m);
            return;
        }
        if (m.plannedRestart) {
            m.plannedRestart = false;
            int failed = engine.gone(m);
            m.state = Member.State.STOPPED;
            m.segment.resetForNextGeneration();
            m.faultNanos = e.detectedNanos();
            m.backFromPlanned = true;
            engine.say(m.label() + " (pid " + e.pid() + ") stopped for its planned restart; " + failed
                    + " call(s) in flight to it failed cleanly; starting it again");
            spawn(m);
            return;
        }
        long handledIn = System.nanoTime() - e.detectedNanos();
        int failed = engine.gone(m);
        m.state = Member.State.STOPPED;
        m.segment.resetForNextGeneration();
        String how = m.lastExitPid == e.pid() ? m.lastExit : null;
        FaultReport contained = m.pendingFault;
        int restartsBefore = m.restarts.size();
        m.pendingFault = null;
        m.containing = false;
        RestartSchedule.Decision next = RestartSchedule.next(m.spec.restart(), m.restarts, clock.getAsLong());
        if (next.givenUp()) {
            FaultReport report = deathReport(m, e, contained, how, unloaded, failed, handledIn, restartsBefore);
            file(report.withAction(report.action() + "; given up: " + next.reason()));
            giveUp(m, next.reason(), "gave up on " + m.label() + ": " + next.reason());
            return;
        }
        m.faultNanos = e.detectedNanos();
        m.backFromPlanned = false;
        // Before its SPAWN: a demoted component is started in a process of its own.
        String demoted = unloadFailed && m.demotion.failed(clock.getAsLong()) ? demote(m, Demotion.reason()) : "";
        // The order first, the report after: the Sovereign starts the component while the report (its evidence is
        // read from files) is written, rather than after.
        if (next.delay().isZero()) {
            spawn(m);
        } else {
            m.restartAt = clock.getAsLong() + next.delay().toNanos();
        }
        String when = next.delay().isZero() ? "now" : "in " + Say.duration(next.delay());
        FaultReport report = deathReport(m, e, contained, how, unloaded, failed, handledIn, restartsBefore);
        report = report.withAction(report.action() + demoted + "; restarting " + when);
        String restarting = "restarting " + m.label() + " " + when + " (restart " + next.attempt() + " of at most "
                + m.spec.restart().limit() + " in " + Say.duration(m.spec.restart().window()) + ")";
        if (next.delay().isZero()) {
            // Filed once the restart is under way, with its words: its evidence is read from files, it is written to
            // the audit log and said, which would hold the duty thread (and wake the Sovereign, which prints what
            // the Engine says) while the new host's SPAWNED, HELLO and READY wait. Before "is back" all the same.
            FaultReport filed = report;
            filings.add(new Filing(clock.getAsLong() + REPORT_AFTER_NANOS, () -> {
                engine.fault(filed);
                engine.say(restarting);
            }));
        } else {
            file(report);
            fileAfterReports(() -> engine.say(restarting));
        }
    }

    /** A death's report: a detector's, when one contained it, else what the pidfd and the parent told. */
    private static FaultReport deathReport(Member m, ExitWatcher.Exit e, FaultReport contained, String how,
                                           boolean unloaded, int failed, long handledIn, int restartsBefore) {
        if (contained != null) {
            return contained;
        }
        return new FaultReport(System.currentTimeMillis(), m.spec.id(), m.spec.kernel().word(),
                how != null && how.startsWith("killed") ? FaultReport.Kind.CRASH : FaultReport.Kind.EXIT,
                unloaded ? how + " (its partition host, pid " + e.pid() + ", lives on)"
                        : "process " + e.pid() + " is gone" + (how != null ? ", " + how : "")
                        + " (seen by " + e.seenBy() + ", handled in " + Say.millis(handledIn) + ")",
                failed + " call(s) in flight to it failed cleanly; lanes reset")
                .withFacts(java.util.Map.of("pid", e.pid(), "exit", how != null ? how : FaultLog.UNKNOWN_EXIT,
                        "failedCalls", failed, "restartsInWindow", restartsBefore))
                .withDetect(handledIn);
    }

    /**
     * Its partition host unloaded a Tier 1 component (it failed, or stopped when told to): handled as its exit once
     * this cycle's lanes are read. Only a partition host says so: a component in a process of its own is refused.
     */
    void onUnloaded(Member m, int status, long generation, String why) {
        if (m.spec.tier() != 1 || m.demotion.demoted() && m.unloadBy == 0) {
            engine.say("ignored an UNLOADED frame from " + m.label() + ": it does not run in a partition host");
            return;
        }
        if (!m.reachable() || m.unloaded || generation != m.segment.generation()) {
            return; // an incarnation the Engine is already done with
        }
        m.unloaded = true;
        m.unloadBy = 0;
        m.unloadFailed = status != 0;
        m.lastExit = status == 0 ? "unloaded from its partition host after it stopped"
                : "unloaded from its partition host: " + why;
        m.lastExitPid = m.pid;
        mirror.member(m);
        unloads.add(new ExitWatcher.Exit(m.slot, m.pid, System.nanoTime()));
    }

    /**
     * Tells the Sovereign to start it in a process of its own from now on, and to have its partition host unload it
     * if it is loaded there; what its report's action adds.
     */
    private String demote(Member m, String reason) {
        control.admin().offer(FrameType.DEMOTE, -1, m.slot, 0, 0, 0, 0);
        engine.say(m.label() + " " + reason);
        return "; " + reason;
    }

    /** Its record written to the state mirror now, after a change made elsewhere (a policy's planned demotion). */
    void mirror(Member m) {
        mirror.member(m);
    }

    /** Asks the Sovereign for a warm spare of {@code m} now (its answer: SPARE_READY). */
    void prewarm(Member m) {
        control.admin().offer(FrameType.PREWARM, -1, m.slot, 0, 0, 0, 0);
    }

    /** Starts the components whose back-off delay is over. */
    void tick(long now) {
        for (ExitWatcher.Exit e; (e = unloads.poll()) != null; ) {
            onExit(e);
        }
        while (!filings.isEmpty() && (stopping || now - filings.peek().due() >= 0)) {
            filings.poll().work().run();
        }
        if (stopping) {
            return;
        }
        for (Member m : members) {
            if (m.unloadBy != 0 && now - m.unloadBy >= 0 && m.pidFd != null) {
                m.unloadBy = 0;
                String late = "its partition host did not unload it within "
                        + Say.duration(java.time.Duration.ofNanos(UNLOAD_WITHIN_NANOS))
                        + ": the host was killed, and its other components restart";
                if (m.pendingFault != null) { // none when the Engine that contained it died meanwhile
                    m.pendingFault = m.pendingFault.withAction(m.pendingFault.action() + "; " + late);
                }
                engine.say(m.label() + ": " + late + " (pid " + m.pid + ")");
                m.kill();
            }
            if (m.restartAt != 0 && now - m.restartAt >= 0) {
                m.restartAt = 0;
                spawn(m);
            }
        }
    }

    /** It will not be started again unless asked: the reason goes to the boot, to the log and to the Sovereign. */
    private void giveUp(Member m, String reason, String said) {
        m.state = Member.State.GAVE_UP;
        m.restartAt = 0;
        m.gaveUpReason = reason;
        fileAfterReports(() -> engine.say(said)); // after the words of the death before, when they wait
        byte[] text = Frame.utf8(reason);
        control.admin().offer(FrameType.GAVE_UP, -1, m.slot, 0, 0, 0, 0, new UnsafeBuffer(text), 0, text.length);
        engine.settled(m);
    }

    /**
     * The Sovereign, as the parent, knows how the process ended. Usually this arrives before the pidfd's news is
     * handled and goes into the fault report; when it comes later it gets a line of its own.
     */
    void onExitStatus(Member m, long pid, int status) {
        if (m == null || stopping) {
            return;
        }
        String how = status > 128 ? "killed by signal " + (status - 128) + signalName(status - 128)
                : "exited with status " + status;
        // Handled already when it is not the running incarnation: the restart may be under way, or even done.
        boolean alreadyReported = m.pid != pid || m.state != Member.State.STARTING && m.state != Member.State.READY;
        m.lastExit = how;
        m.lastExitPid = pid;
        fileAfterReports(() -> { // the words under the death's report, as its addendum
            engine.exitKnown(m, pid, how);
            if (alreadyReported) {
                engine.say("      " + m.spec.id() + " pid " + pid + " was " + how);
            }
        });
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case Signals.SIGKILL -> " (SIGKILL)";
            case Signals.SIGTERM -> " (SIGTERM)";
            case 11 -> " (SIGSEGV)";
            case 6 -> " (SIGABRT)";
            default -> "";
        };
    }

    /** Every filing waiting is due by {@code due} at the latest. */
    private void fileBy(long due) {
        for (int i = filings.size(); i > 0; i--) {
            Filing f = filings.poll();
            filings.add(new Filing(Math.min(f.due(), due), f.work()));
        }
    }

    private void file(FaultReport report) {
        fileAfterReports(() -> engine.fault(report));
    }

    /** Now, unless a death's report is still to be filed: then after it, so the fault log hears things in order. */
    private void fileAfterReports(Runnable work) {
        if (filings.isEmpty()) {
            work.run();
        } else {
            filings.add(new Filing(filings.peekLast().due(), work));
        }
    }
}
