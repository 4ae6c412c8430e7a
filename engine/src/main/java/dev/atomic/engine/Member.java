package dev.atomic.engine;

import dev.atomic.bridge.LaneSegment;
import dev.atomic.component.ComponentSpec;
import dev.atomic.system.Errno;
import dev.atomic.system.PidFd;
import dev.atomic.system.Signals;
import dev.atomic.system.SyscallException;

import java.util.ArrayDeque;
import java.util.Deque;

/** The Engine's view of one component slot. Touched only by the Engine's duty-cycle thread. */
final class Member {
    enum State { STOPPED, SPAWNING, STARTING, READY, GAVE_UP }

    /**
     * Where an on-demand service is in its idle life ({@link OnDemand}); always AWAKE for one started at boot. READY
     * and FROZEN together: its process is alive but stopped by the cgroup freezer on purpose.
     */
    enum Idle { AWAKE, FREEZING, FROZEN, THAWING, STOPPING, STOPPED }

    final int slot;
    final ComponentSpec spec;
    final LaneSegment segment;
    /** Restart times (nanoTime) inside the intensity window. */
    final Deque<Long> restarts = new ArrayDeque<>();
    State state = State.STOPPED;
    long pid;
    PidFd pidFd;
    /** When the current start was asked for; with {@link #faultNanos}, how long recovery took. */
    long spawnNanos;
    /** When the last fault was detected (or it stopped for a planned restart); 0 when this start is not a recovery. */
    long faultNanos;
    /** This start follows a planned restart's stop, not a fault. */
    boolean backFromPlanned;
    /**
     * Restarted and welcomed, its init and start under way: its dependents were told it is back, and their calls to
     * it are held until it is ready ({@link OnDemand#hold}).
     */
    boolean upEarly;
    /** How the last process ended, as the Sovereign (its parent) reported it; null until it does. */
    String lastExit;
    long lastExitPid;
    /** True while the Engine is killing it to contain a fault; its report waits for the death. */
    boolean containing;
    /** Asked to stop for a planned restart: its exit is not a fault. */
    boolean plannedRestart;
    FaultReport pendingFault;
    /** Requests it made that the Engine forwarded, and answers it gave that reached their caller: for observers. */
    long callsMade;
    long callsAnswered;
    /** When its back-off delay ends and it is started again (nanoTime); 0 when no restart waits. */
    long restartAt;
    /** Why it was given up on; null unless it was. */
    String gaveUpReason;
    Idle idle;
    /**
     * Tier 1: its partition host unloaded it (the process lives on, its pidfd still watched for the neighbours' sake):
     * set until its exit is handled; {@code unloadFailed} when it failed rather than stopped.
     */
    boolean unloaded;
    boolean unloadFailed;
    /**
     * Tier 1, contained live: when its partition host must have unloaded it by (nanoseconds; 0: not waiting). Past
     * it, the host itself is killed.
     */
    long unloadBy;
    /** The lane generation whose published seccomp listener the Engine last tried to take: once per incarnation. */
    int listenerTried = -1;
    /** Tier 1 only: its failures in its partition host, which demote it to Tier 2. */
    final Demotion demotion = new Demotion();
    /** When a request was last delivered to it, or one to or from it was last seen in flight: idleness runs from here. */
    long lastBusy;

    Member(int slot, ComponentSpec spec, LaneSegment segment) {
        this.slot = slot;
        this.spec = spec;
        this.segment = segment;
        this.idle = spec.activation().onDemand() ? Idle.STOPPED : Idle.AWAKE;
        if (spec.tierEarned()) {
            demotion.earning();
        }
    }

    /**
     * Frozen on purpose, or being frozen or thawed: it can neither run nor beat, and is not hung. Whatever watches
     * for hangs or silence must leave such a component alone.
     */
    boolean frozen() {
        return idle == Idle.FREEZING || idle == Idle.FROZEN || idle == Idle.THAWING;
    }

    /**
     * Whether frames can reach it: ready, or starting (welcomed, still in its init: it may already call out, and be
     * answered, though nobody is routed to it yet).
     */
    boolean reachable() {
        return state == State.READY || state == State.STARTING;
    }

    String label() {
        return spec.id() + " (" + spec.kernel().word() + ")";
    }

    /** SIGKILL through its pidfd; one that exited already (its death not yet handled) needs none. */
    void kill() {
        try {
            pidFd.sendSignal(Signals.SIGKILL);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
        }
    }

    void closePidFd() {
        if (pidFd != null) {
            pidFd.close();
            pidFd = null;
        }
    }
}
