package dev.atomic.bridge;

/**
 * Frame types, carried as the ring record's type id (Agrona reserves values below 1).
 * Numbers are part of the wire protocol ({@code docs/bridge-protocol.md}): never reuse one.
 */
public final class FrameType {
    /** Component → Engine: a call to a service. Engine → provider: the same call, source stamped. */
    public static final int REQUEST = 1;
    /** Provider → Engine → requester: the result of a REQUEST, same correlation id. */
    public static final int REPLY = 2;
    /** Engine → requester: a REQUEST failed (status says why, payload is UTF-8 text). */
    public static final int ERROR = 3;
    /** ERROR's status for a call that failed (the usual one). */
    public static final int ERROR_FAILED = 1;
    /**
     * ERROR's status: a new Engine found the call held by its dead predecessor (for its provider's next start, or its
     * start on demand), whose copy died with it. It was never answered: the caller may send it again.
     */
    public static final int ERROR_RESEND = 2;
    /** Component → Engine: first frame after attaching (payload: generation). */
    public static final int HELLO = 4;
    /** Engine → component: answer to HELLO; payload lists the services it may call (id, name). */
    public static final int WELCOME = 5;
    /** Engine → component: stop cleanly and exit. */
    public static final int STOP = 6;
    /**
     * Component → Engine → provider: a one-way event (no reply). Outside the critical lane the Engine may coalesce
     * a source's events of one method: the provider then gets the newest, with status = how many it stands for.
     */
    public static final int EVENT = 7;
    /**
     * Engine → component: a fast path is open (target = its id, status = role: 0 caller, 1 provider). Payload:
     * i32 service id, i32 method count, the granted methods (none: all), i32 length + UTF-8 segment path.
     */
    public static final int FASTPATH_OPEN = 8;
    /**
     * Engine → component: stop using a fast path (target = id; status 1 when the other end died; payload: reason).
     * The caller stops writing and answers FASTPATH_CLOSED once its fast calls are over; the provider, told only
     * after that, drains the ring, answers what it finds, then answers FASTPATH_CLOSED.
     */
    public static final int FASTPATH_REVOKE = 9;
    /** Component → Engine: done with a revoked fast path (target = id). */
    public static final int FASTPATH_CLOSED = 10;
    /**
     * Engine → component: a new Engine took over after the last one died. Calls under way through the Engine are
     * lost with it: the component fails them at once, rather than let them run to their deadlines.
     */
    public static final int ENGINE_RESTARTED = 11;
    /** Component → Engine: init and start are done; route to it from now on. */
    public static final int COMPONENT_READY = 12;
    /**
     * Engine → component (critical lane): a service it is bound to is down (target = service id, status = 1 while
     * its provider is being restarted, 2 once given up on; payload: UTF-8 text naming the provider and why). Its
     * calls to that service fail at once until SERVICE_UP.
     */
    public static final int SERVICE_DOWN = 16;
    /** SERVICE_DOWN's status: its provider is being restarted (or is still starting). */
    public static final int DOWN_RESTARTING = 1;
    /** SERVICE_DOWN's status: its provider was given up on. */
    public static final int DOWN_GIVEN_UP = 2;
    /** Engine → component (critical lane): the service is back (target = service id): calls reach it again. */
    public static final int SERVICE_UP = 17;
    /**
     * Component → Engine (transfer lane): its state, to be given back to its next incarnation (payload: the bytes).
     * Engine → component (critical lane, empty): hand one over now.
     */
    public static final int CHECKPOINT = 18;
    /**
     * Engine → component (transfer lane), after WELCOME, to a checkpointed component only: status 1 and the last
     * checkpoint as payload, or status 0 when there is none.
     */
    public static final int RESTORE = 19;
    /** Component → Engine: its health check failed repeatedly (payload: the component's reason). */
    public static final int HEALTH = 20;
    /**
     * Partition host → Engine, on a Tier 1 component's own request lane: the component was unloaded from its partition
     * host (status 0: it stopped when told to; 1: it failed, payload: how), its class loader dropped. The process
     * lives on for its neighbours; the Engine handles the component as exited.
     */
    public static final int UNLOADED = 21;
    /**
     * Engine → observer (request lane): what the observe capability shows of another component (target = its slot;
     * payload: UTF-8 text, tab-separated: event, component, kernel, then key=value facts). Read-only by construction:
     * a copy in the observer's own lane.
     */
    public static final int OBSERVATION = 24;
    /**
     * Component → Engine (critical lane): inject a fault into another component (payload: UTF-8 "component kind",
     * kind crash, hang, leak or storm), allowed only where its manifest's {@code inject} grants it; answered with
     * REPLY or ERROR, same correlation. Engine → component (critical lane): run your test hook for this kind (status
     * = the kind's ordinal), answered with INJECTED.
     */
    public static final int INJECT = 26;
    /**
     * Component → Engine (critical lane): the answer to an INJECT, same correlation (status 1: its test hook runs
     * now; 0: it offers none for that kind; payload: its words).
     */
    public static final int INJECTED = 27;

    /** Engine → Sovereign: start the component of a slot (target = slot, status = generation). */
    public static final int SPAWN = 32;
    /** Sovereign → Engine: the component was started (target = slot, status = generation, correlation = pid). */
    public static final int SPAWNED = 33;
    /** Sovereign → Engine: the component could not be started (payload: reason). */
    public static final int SPAWN_FAILED = 34;
    /** Sovereign → Engine: a child process ended (target = slot, correlation = pid, status = wait status as Java reports it). */
    public static final int EXITED = 35;
    /** Engine → Sovereign: a boot stage finished (correlation = nanoseconds, payload: stage text). */
    public static final int STAGE = 36;
    /** Engine → Sovereign: the system is up and the first request was served. */
    public static final int READY = 37;
    /** Sovereign → Engine (auto-recovery lane): stop every component and exit. */
    public static final int SHUTDOWN = 38;
    /**
     * Sovereign → Engine: stop the component of a slot and start it again (target = slot): a planned restart, as an
     * update switches its image. Not a fault, and not counted against its restart budget.
     */
    public static final int RESTART = 39;
    /** Engine → Sovereign: the component of slot {@code target} was given up on (payload: the reason). */
    public static final int GAVE_UP = 44;
    /**
     * Engine → Sovereign: freeze (status 1) or thaw (status 0) the cgroup of the component of a slot (target = slot):
     * an idle on-demand service.
     */
    public static final int FREEZE = 48;
    /**
     * Sovereign → Engine: a FREEZE was done (target = slot, status = 1 frozen or 0 thawed, correlation = 1) or could
     * not be (correlation = 0, payload: why).
     */
    public static final int FROZEN = 49;
    /**
     * Engine → Sovereign: policy 3's sizes for a running component's group (target = slot, correlation = memory limit
     * in bytes, deadline = CPU quota in millionths of a CPU; 0 for the manifest's own). The Sovereign holds them within
     * the manifest's.
     */
    public static final int LIMITS = 50;
    /**
     * Engine → Sovereign: the Engine took the seccomp listener of the component of a slot (target = slot, status =
     * the descriptor number of the Engine's copy, correlation = the component's pid); the Sovereign keeps a copy of
     * its own for the next Engine.
     */
    public static final int SECCOMP_LISTENER = 56;
    /**
     * Engine → Sovereign: the Tier 1 component of slot {@code target} is demoted to Tier 2: from its next start on, in
     * a sandboxed process of its own, not in its kernel's partition host. Status {@link #DEMOTE_NOW}: its partition host
     * unloads it now if it has it loaded (it is cut off); {@link #DEMOTE_PLANNED}: nothing now (policy 5's word: the
     * Engine restarts it, planned); {@link #DEMOTE_LIFTED}: policy 5 lifts its own demotion, back to its partition
     * host from its next start (never more than its manifest's Tier 1).
     */
    public static final int DEMOTE = 57;
    public static final int DEMOTE_NOW = 0;
    public static final int DEMOTE_PLANNED = 1;
    public static final int DEMOTE_LIFTED = 2;
    /**
     * Sovereign → Engine (auto-recovery lane): answer at once (correlation = the Sovereign's send time, nanoTime).
     * How long an order waits to be served, measured on the orders' own path, under any load.
     */
    public static final int ORDER_PING = 60;
    /** Engine → Sovereign: an ORDER_PING served (correlation as sent, deadline = when the Engine served it). */
    public static final int ORDER_PONG = 61;
    /**
     * Sovereign → Engine: a request of the {@code atomic} command for the console service (status = method id,
     * correlation = the Sovereign's id for it, payload = the request), delivered to the component that provides
     * {@code console} as a REQUEST from source -1.
     */
    public static final int CONSOLE_REQUEST = 62;
    /**
     * Engine → Sovereign: the console service's answer to a CONSOLE_REQUEST (same correlation; status 1 for a
     * result, 0 for an error; payload: the result, or the error's text).
     */
    public static final int CONSOLE_REPLY = 63;
    /**
     * Engine → Sovereign: make a warm spare ready for the component of slot {@code target} now, whether or not its
     * manifest asks for one: a policy predicts its failure. Answered with SPARE_READY.
     */
    public static final int PREWARM = 64;
    /**
     * Sovereign → Engine: the answer to a PREWARM (target = slot, status 1: a spare waits for its order; 0: none
     * could be made; payload: the Sovereign's words).
     */
    public static final int SPARE_READY = 65;

    private FrameType() {
    }

    public static String name(int type) {
        return switch (type) {
            case REQUEST -> "REQUEST";
            case REPLY -> "REPLY";
            case ERROR -> "ERROR";
            case HELLO -> "HELLO";
            case WELCOME -> "WELCOME";
            case STOP -> "STOP";
            case EVENT -> "EVENT";
            case FASTPATH_OPEN -> "FASTPATH_OPEN";
            case FASTPATH_REVOKE -> "FASTPATH_REVOKE";
            case FASTPATH_CLOSED -> "FASTPATH_CLOSED";
            case ENGINE_RESTARTED -> "ENGINE_RESTARTED";
            case COMPONENT_READY -> "COMPONENT_READY";
            case SERVICE_DOWN -> "SERVICE_DOWN";
            case SERVICE_UP -> "SERVICE_UP";
            case CHECKPOINT -> "CHECKPOINT";
            case RESTORE -> "RESTORE";
            case HEALTH -> "HEALTH";
            case UNLOADED -> "UNLOADED";
            case OBSERVATION -> "OBSERVATION";
            case INJECT -> "INJECT";
            case INJECTED -> "INJECTED";
            case SPAWN -> "SPAWN";
            case SPAWNED -> "SPAWNED";
            case SPAWN_FAILED -> "SPAWN_FAILED";
            case EXITED -> "EXITED";
            case STAGE -> "STAGE";
            case READY -> "READY";
            case SHUTDOWN -> "SHUTDOWN";
            case RESTART -> "RESTART";
            case GAVE_UP -> "GAVE_UP";
            case FREEZE -> "FREEZE";
            case FROZEN -> "FROZEN";
            case LIMITS -> "LIMITS";
            case SECCOMP_LISTENER -> "SECCOMP_LISTENER";
            case DEMOTE -> "DEMOTE";
            case ORDER_PING -> "ORDER_PING";
            case ORDER_PONG -> "ORDER_PONG";
            case CONSOLE_REQUEST -> "CONSOLE_REQUEST";
            case CONSOLE_REPLY -> "CONSOLE_REPLY";
            case PREWARM -> "PREWARM";
            case SPARE_READY -> "SPARE_READY";
            default -> "UNKNOWN(" + type + ")";
        };
    }
}
