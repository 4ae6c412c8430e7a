package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.component.Kernel;
import dev.atomic.component.Say;
import dev.atomic.component.SystemSpec;
import dev.atomic.system.PidFd;
import dev.atomic.system.Signals;
import dev.atomic.system.SyscallException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Master Engine's duty cycle, on one thread: orders from the Sovereign first (the auto-recovery lane), then
 * each component's inbound lane with a bounded batch, then deaths, deadlines and the periodic report.
 * Supervision lives here too: a death is contained (its lanes reset, its in-flight calls failed) and the component
 * is started again, within a restart budget.
 */
public final class Engine implements Router.Listener {
    private static final int BATCH = 64;
    private static final int RESTART_LIMIT = 5;
    private static final long RESTART_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long EXPIRE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long SHUTDOWN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private enum Phase { SERVICES, DAK, FIRST_ANSWER, RUNNING, STOPPING }

    private final ControlRegion control;
    private final Member[] members;
    private final Router router;
    private final ExitWatcher exits;
    private final PrintStream out;
    private final long reportEveryNanos;
    private final IdleStrategy idle = new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MILLISECONDS.toNanos(1));
    private Phase phase = Phase.SERVICES;
    private long phaseStart;
    private long stoppingSince;

    public Engine(ControlRegion control, Member[] members, SystemSpec system, PrintStream out, long reportEveryNanos) {
        this.control = control;
        this.members = members;
        this.out = out;
        this.reportEveryNanos = reportEveryNanos;
        List<String> services = system.services();
        int[] providers = new int[services.size()];
        for (Member m : members) {
            for (String s : m.spec.provides()) {
                providers[services.indexOf(s)] = m.slot;
            }
        }
        this.router = new Router(this, members, services, providers);
        this.exits = new ExitWatcher();
    }

    /** Runs until the Sovereign orders a shutdown and every component has stopped. */
    public void run() {
        control.engineState(ControlRegion.READY);
        startKernel(Kernel.SERVICES);
        long nextExpire = System.nanoTime();
        long nextReport = System.nanoTime() + reportEveryNanos;
        while (true) {
            long now = System.nanoTime();
            control.heartbeat(now);
            int work = control.orders().poll(this::onOrder, BATCH);
            for (Member m : members) {
                work += m.segment.inbound().poll((type, b, i, length) -> onInbound(m, type, b, i, length), BATCH);
            }
            for (ExitWatcher.Exit e; (e = exits.nextExit()) != null; work++) {
                onExit(e);
            }
            if (now - nextExpire >= 0) {
                router.expire(now);
                nextExpire = now + EXPIRE_EVERY_NANOS;
            }
            if (now - nextReport >= 0) {
                String line = router.traffic().drain(reportEveryNanos);
                if (!line.isEmpty() && phase != Phase.STOPPING) {
                    say("traffic " + line);
                }
                nextReport = now + reportEveryNanos;
            }
            if (phase == Phase.STOPPING && stopped(now)) {
                break;
            }
            idle.idle(work);
        }
        exits.close();
        control.engineState(ControlRegion.STOPPING);
    }

    private void onOrder(int type, org.agrona.MutableDirectBuffer b, int index, int length) {
        if (Frame.malformed(b, index, length) != null) {
            say("ignored a malformed order from the Sovereign: " + Frame.malformed(b, index, length));
            return;
        }
        int slot = Frame.target(b, index);
        Member m = slot >= 0 && slot < members.length ? members[slot] : null;
        switch (type) {
            case FrameType.SPAWNED -> onSpawned(m, Frame.status(b, index), Frame.correlation(b, index));
            case FrameType.SPAWN_FAILED -> onSpawnFailed(m, Frame.payloadText(b, index));
            case FrameType.EXITED -> onExitStatus(m, Frame.correlation(b, index), Frame.status(b, index));
            case FrameType.SHUTDOWN -> beginShutdown();
            default -> say("ignored an unknown order " + FrameType.name(type));
        }
    }

    private void onInbound(Member m, int type, DirectBuffer b, int index, int length) {
        String malformed = Frame.malformed(b, index, length);
        if (malformed != null) {
            audit(m, "malformed frame dropped: " + malformed);
            return;
        }
        switch (type) {
            case FrameType.HELLO -> onHello(m, Frame.status(b, index), Frame.correlation(b, index));
            case FrameType.REQUEST -> {
                if (m.state == Member.State.READY) {
                    router.onRequest(m, b, index);
                }
            }
            case FrameType.REPLY, FrameType.ERROR -> router.onAnswer(m, type, b, index);
            default -> audit(m, "frame of type " + FrameType.name(type) + " is not allowed on a component lane");
        }
    }

    // --- supervision -------------------------------------------------------------------------------------------

    private void startKernel(Kernel kernel) {
        phase = kernel == Kernel.SERVICES ? Phase.SERVICES : Phase.DAK;
        phaseStart = System.nanoTime();
        for (Member m : members) {
            if (m.spec.kernel() == kernel) {
                spawn(m);
            }
        }
        advanceBoot();
    }

    private void spawn(Member m) {
        m.state = Member.State.SPAWNING;
        m.spawnNanos = System.nanoTime();
        control.admin().offer(FrameType.SPAWN, -1, m.slot, 0, m.segment.generation(), 0, 0);
    }

    private void onSpawned(Member m, int generation, long pid) {
        if (m == null || m.state != Member.State.SPAWNING || generation != m.segment.generation()) {
            return;
        }
        m.pid = pid;
        m.state = Member.State.STARTING;
        try {
            m.pidFd = PidFd.open(pid);
            exits.watch(m.slot, m.pidFd);
        } catch (SyscallException e) {
            // It died before we could watch it: the same as a death seen by the pidfd.
            onExit(new ExitWatcher.Exit(m.slot, pid, System.nanoTime()));
        }
    }

    private void onSpawnFailed(Member m, String why) {
        if (m == null) {
            return;
        }
        m.state = Member.State.GAVE_UP;
        say("could not start " + m.label() + ": " + why);
        advanceBoot();
    }

    private void onHello(Member m, int generation, long pid) {
        if (m.state != Member.State.STARTING || generation != m.segment.generation() || pid != m.pid) {
            audit(m, "HELLO from pid " + pid + " generation " + generation + " ignored (expected pid " + m.pid
                    + " generation " + m.segment.generation() + ")");
            return;
        }
        m.state = Member.State.READY;
        router.welcome(m);
        long now = System.nanoTime();
        if (m.faultNanos != 0) {
            say(m.label() + " is back: pid " + m.pid + ", recovered " + Say.millis(now - m.faultNanos)
                    + " after the fault was detected");
            m.faultNanos = 0;
        } else if (phase == Phase.RUNNING) {
            say(m.label() + " started: pid " + m.pid);
        }
        advanceBoot();
    }

    private void onExit(ExitWatcher.Exit e) {
        Member m = members[e.slot()];
        if (m.pid != e.pid() || m.state == Member.State.STOPPED) {
            return;
        }
        m.closePidFd();
        if (phase == Phase.STOPPING) {
            m.state = Member.State.STOPPED;
            return;
        }
        long detectedIn = System.nanoTime() - e.detectedNanos();
        int failed = router.forget(m);
        m.state = Member.State.STOPPED;
        m.segment.resetForNextGeneration();
        String how = m.lastExitPid == e.pid() ? ", " + m.lastExit : "";
        say("FAULT " + m.label() + ": process " + e.pid() + " is gone" + how + " (seen by its pidfd, handled in "
                + Say.millis(detectedIn) + "); " + failed + " call(s) in flight to it failed cleanly; lanes reset");
        long now = System.nanoTime();
        m.restarts.addLast(now);
        while (!m.restarts.isEmpty() && now - m.restarts.peekFirst() > RESTART_WINDOW_NANOS) {
            m.restarts.removeFirst();
        }
        if (m.restarts.size() > RESTART_LIMIT) {
            m.state = Member.State.GAVE_UP;
            say("gave up on " + m.label() + ": it failed " + m.restarts.size() + " times in "
                    + RESTART_WINDOW_NANOS / 1_000_000_000 + " s");
            advanceBoot();
            return;
        }
        m.faultNanos = e.detectedNanos();
        say("restarting " + m.label() + " (restart " + m.restarts.size() + " of at most " + RESTART_LIMIT + " in "
                + RESTART_WINDOW_NANOS / 1_000_000_000 + " s)");
        spawn(m);
    }

    /**
     * The Sovereign, as the parent, knows how the process ended. Usually this arrives before the pidfd's news is
     * handled and goes into the FAULT line; when it comes later it gets a line of its own.
     */
    private void onExitStatus(Member m, long pid, int status) {
        if (m == null || phase == Phase.STOPPING) {
            return;
        }
        String how = status > 128 ? "killed by signal " + (status - 128) + signalName(status - 128)
                : "exited with status " + status;
        boolean faultAlreadyReported = m.pid == pid && m.state != Member.State.STARTING && m.state != Member.State.READY;
        m.lastExit = how;
        m.lastExitPid = pid;
        if (faultAlreadyReported) {
            say("      " + m.spec.id() + " pid " + pid + " was " + how);
        }
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

    // --- boot and shutdown -------------------------------------------------------------------------------------

    /** Moves the boot on when a kernel's components are all up (or given up on), and tells the Sovereign. */
    private void advanceBoot() {
        if (phase != Phase.SERVICES && phase != Phase.DAK) {
            return;
        }
        Kernel kernel = phase == Phase.SERVICES ? Kernel.SERVICES : Kernel.DAK;
        List<Member> inKernel = Arrays.stream(members).filter(m -> m.spec.kernel() == kernel).toList();
        if (inKernel.stream().anyMatch(m -> m.state != Member.State.READY && m.state != Member.State.GAVE_UP)) {
            return;
        }
        String summary = inKernel.isEmpty() ? "no components" : inKernel.stream()
                .map(m -> m.state == Member.State.READY ? m.spec.id() + " ready (pid " + m.pid + ")"
                        : m.spec.id() + " NOT started")
                .collect(Collectors.joining(", "));
        stage(kernel.word(), summary, System.nanoTime() - phaseStart);
        if (kernel == Kernel.SERVICES) {
            startKernel(Kernel.DAK);
        } else {
            phase = Phase.FIRST_ANSWER;
            phaseStart = System.nanoTime();
            if (Arrays.stream(members).allMatch(m -> m.spec.calls().isEmpty() || m.state != Member.State.READY)) {
                ready("no component makes calls");
            }
        }
    }

    @Override
    public void answered() {
        if (phase == Phase.FIRST_ANSWER) {
            ready("first request answered through the Engine");
        }
    }

    private void ready(String what) {
        stage("traffic", what, System.nanoTime() - phaseStart);
        phase = Phase.RUNNING;
        control.admin().offer(FrameType.READY, -1, -1, 0, 0, 0, 0);
    }

    private void stage(String name, String text, long nanos) {
        byte[] payload = Frame.utf8(name + "\t" + text);
        control.admin().offer(FrameType.STAGE, -1, -1, 0, 0, nanos, 0,
                new org.agrona.concurrent.UnsafeBuffer(payload), 0, payload.length);
    }

    private void beginShutdown() {
        if (phase == Phase.STOPPING) {
            return;
        }
        phase = Phase.STOPPING;
        stoppingSince = System.nanoTime();
        control.engineState(ControlRegion.STOPPING);
        for (Member m : members) {
            if (m.state == Member.State.READY) {
                m.segment.outbound().offer(FrameType.STOP, -1, m.slot, 0, 0, 0, 0);
            }
        }
    }

    /** True once every component is gone; past the grace period the stragglers are killed. */
    private boolean stopped(long now) {
        boolean late = now - stoppingSince > SHUTDOWN_GRACE_NANOS;
        boolean allGone = true;
        for (Member m : members) {
            if (m.pidFd != null) {
                allGone = false;
                if (late) {
                    m.pidFd.sendSignal(Signals.SIGKILL);
                }
            } else if (m.state == Member.State.SPAWNING && !late) {
                allGone = false; // the Sovereign may still report it; it kills leftovers anyway
            }
        }
        return allGone;
    }

    @Override
    public void audit(Member m, String what) {
        say("audit " + m.spec.id() + ": " + what);
    }

    private void say(String text) {
        Say.line(out, "engine", text);
    }
}
