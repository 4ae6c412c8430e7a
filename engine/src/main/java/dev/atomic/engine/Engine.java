package dev.atomic.engine;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.Doorbell;
import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Lane;
import dev.atomic.bridge.LaneCorruptException;
import dev.atomic.bridge.Priority;
import dev.atomic.component.Kernel;
import dev.atomic.component.Say;
import dev.atomic.component.StateKind;
import dev.atomic.component.Watch;
import dev.atomic.component.SystemSpec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Master Engine's duty cycle, on one thread. Every cycle: all orders from the Sovereign first (the
 * auto-recovery lane), then every component's critical lane, then request lanes, then transfer lanes — each read
 * with a bounded batch, so nothing starves and recovery is always served first; then deaths, deadlines, held
 * events, storm windows and the periodic report.
 */
public final class Engine implements Router.Listener, Supervisor.Listener, FastPaths.Listener, AutoCloseable {
    /**
     * Frames read from one lane of one component per cycle, by class: bounded work per lane. Bulk frames may be
     * large copies: few per cycle, so the critical lanes are looked at again soon.
     */
    private static final int[] BATCH = {256, 64, 4};
    private static final int ORDERS_BATCH = 1024;
    private static final int UNLOADING_BATCH = 4096;
    private static final long EXPIRE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How often the components' cgroup counters are read: a refused fork tells nobody else. */
    private static final long RESOURCES_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long SHUTDOWN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private enum Phase { BOOT, FIRST_ANSWER, RUNNING, STOPPING }

    private final ControlRegion control;
    private final Member[] members;
    private final Router router;
    private final StateMirror mirror;
    private final int[] providers;
    private final int services;
    /** Buffers per pool: what a mirrored loan is checked against. */
    private final int[] poolBuffers;
    private final FastPaths fastPaths;
    private final Supervisor supervisor;
    private final OnDemand onDemand;
    private final StormControl storms;
    private final ExitWatcher exits;
    private final HostLocks hostLocks;
    private final SyscallTraps traps;
    private final PathTraps pathTraps;
    private final Dependents dependents;
    private final BootOrder bootOrder;
    /** Kernels whose boot stage line was sent. */
    private final java.util.EnumSet<Kernel> kernelsUp = java.util.EnumSet.noneOf(Kernel.class);
    private boolean bootSpawned;
    private final Checkpoints checkpoints;
    /** {@code <home>/state/<instance>}: each component's state directory, watched for a full disk. */
    private final Path stateDirs;
    private final Detectors detectors;
    private final PolicyLoop policy;
    private final AuditLog audit;
    private final Observers observers;
    private final ConsoleOrders console;
    private final FaultLog faults;
    private final ResourceEvents resources = new ResourceEvents();
    private long nextResources;
    private final Path logDir;
    private final EngineIdle idle;
    private final PrintStream out;
    private final long reportEveryNanos;
    /** Per member, per lane class: the handler, made once so the duty cycle allocates nothing. */
    private final MessageHandler[][] handlers;
    /** A Tier 1 component contained live: everything but its partition host's UNLOADED is dropped unread. */
    private final MessageHandler[][] unloading;
    private final Arena wakeArena = Arena.ofShared();
    private Phase phase = Phase.BOOT;
    private boolean routedOnce;
    private long phaseStart;
    private long stoppingSince;
    private long now;
    private long nextExpire;
    private long nextReport;
    /** What a takeover has to say, said once the first message is routed: words are not on the critical path. */
    private String afterTakeover;
    /** The predecessor's calls in flight, until those it held are sent back to their callers. */
    private List<StateMirror.Flight> heldByPredecessor;

    /**
     * @param spinOnly true when the profile reserved a CPU for the Engine (partitioned mode): it busy-spins there
     */
    public Engine(ControlRegion control, Member[] members, List<FastPathSegment> fastPathSegments, SystemSpec system,
                  Path logDir, boolean spinOnly, PrintStream out, long reportEveryNanos) {
        this.control = control;
        this.members = members;
        this.out = out;
        this.reportEveryNanos = reportEveryNanos;
        List<String> services = system.services();
        int[] providers = new int[services.size()];
        for (Member m : members) {
            m.spec.provides().forEach(p -> providers[services.indexOf(p.name())] = m.slot);
        }
        this.providers = providers;
        this.services = services.size();
        this.mirror = new StateMirror(control.mirror(), members);
        List<String> poolPaths = java.util.stream.IntStream.range(0, control.pools()).mapToObj(control::poolPath).toList();
        PoolTable pools = new PoolTable(system.pools(), members, services, providers, poolPaths);
        this.poolBuffers = pools.pools().stream().mapToInt(PoolTable.Pool::buffers).toArray();
        this.router = new Router(this, members, services, providers, pools, mirror);
        this.fastPaths = new FastPaths(system.fastPaths(), fastPathSegments,
                java.util.stream.IntStream.range(0, control.fastPaths()).mapToObj(control::fastPathPath).toList(),
                members, services, providers, this, mirror);
        this.storms = new StormControl(members);
        this.dependents = new Dependents(members, services, providers, router);
        this.bootOrder = new BootOrder(members, services, providers);
        this.checkpoints = new Checkpoints(Checkpoints.dirFor(logDir), members.length, this::say);
        this.stateDirs = Checkpoints.beside(logDir, "state");
        this.policy = new PolicyLoop(logDir, java.util.Arrays.stream(members).map(m -> m.spec.id())
                .toArray(String[]::new), java.util.Arrays.stream(members).filter(m -> m.spec.tierEarned())
                .map(m -> m.spec.id()).collect(Collectors.toSet()), EngineTunables.ceilingFromEnvironment(),
                EngineTunables.tierCeilingFromEnvironment(), PolicyLoop.learnedByEnvironment(),
                this::say);
        router.coalescer().follow(policy.tunables()::windowPerKrate);
        this.detectors = new Detectors(members, router, this::contain, policy.tunables());
        this.audit = new AuditLog(logDir, out);
        this.observers = new Observers(members);
        int consoleService = services.indexOf(ConsoleOrders.SERVICE);
        this.console = new ConsoleOrders(members, consoleService, consoleService < 0 ? null
                : members[providers[consoleService]], control, new ConsoleOrders.Listener() {
                    @Override
                    public void audit(Member m, String kind, String what) {
                        Engine.this.audit(m, kind, what);
                    }

                    @Override
                    public void file(Member m, String kind, String what) {
                        audit.file(m.spec.id(), kind, what);
                    }
                });
        this.faults = new FaultLog(logDir, this::say);
        faults.warmUp(AuditLog::warmUp); // on the fault log's thread: the audit log's first record is a fault's
        this.logDir = logDir;
        MemorySegment wakeWord = wakeArena.allocate(Doorbell.LENGTH, 64);
        Doorbell wake = new Doorbell(new UnsafeBuffer(wakeWord.address(), Doorbell.LENGTH), wakeWord, 0);
        this.exits = new ExitWatcher(wake::ring);
        this.traps = new SyscallTraps(wake::ring);
        this.pathTraps = new PathTraps(Checkpoints.beside(logDir, "tripwires"), wake::ring);
        this.supervisor = new Supervisor(control, members, exits, this, mirror);
        this.onDemand = new OnDemand(members, new IdleOrders(control, supervisor, router, this::say));
        List<Doorbell> bells = new ArrayList<>();
        bells.add(control.ordersDoorbell());
        bells.add(wake);
        for (Member m : members) {
            bells.add(m.segment.requests().doorbell());
        }
        this.hostLocks = new HostLocks(members, supervisor);
        this.idle = new EngineIdle(spinOnly, bells, hostLocks, this::hasWork, router.coalescer()::dueAt);
        this.handlers = new MessageHandler[members.length][Priority.values().length];
        this.unloading = new MessageHandler[members.length][Priority.values().length];
        for (Member m : members) {
            for (Priority p : Priority.values()) {
                handlers[m.slot][p.ordinal()] = (type, b, index, length) -> onFrame(m, p, type, b, index, length);
                unloading[m.slot][p.ordinal()] = (type, b, index, length) -> {
                    if (type == FrameType.UNLOADED) {
                        onFrame(m, p, type, b, index, length);
                    }
                };
            }
        }
    }

    /**
     * Runs until the Sovereign orders a shutdown and every component has stopped.
     *
     * @param resume true when this Engine replaces one that died: it adopts the running components instead of
     *               booting them
     */
    public void run(boolean resume) {
        start(resume);
        while (!(phase == Phase.STOPPING && stopped(now))) {
            idle.idle(cycle());
        }
    }

    /** Boots the kernels, or takes over the running ones; ready from then on. */
    void start(boolean resume) {
        if (resume) {
            resume();
        } else {
            startMirror(1);
            checkpoints.forgetAll();
        }
        pathTraps.start(control.sovereignPid(), control.tripwires()).ifPresent(this::say);
        control.engineReady(System.nanoTime());
        router.refusals().forEach(r -> say("binding refused: " + r));
        if (!router.coalescer().enabled()) {
            say("event coalescing is off (" + Coalescer.SWITCH + "=off): every event is delivered on its own");
        }
        if (!hostLocks.on()) {
            say("host locks are off (" + HostLocks.SWITCH + "=off): a death is heard from the pidfd alone");
        }
        if (!PolicyLoop.learnedByEnvironment()) {
            say("learned policies are off (" + PolicyLoop.SWITCH + "=off): every tunable stays on its default");
        }
        if (!resume) {
            say("idle strategy: " + idle.describe());
            phaseStart = System.nanoTime();
            advanceBoot();
        }
        nextExpire = System.nanoTime();
        nextReport = nextExpire + reportEveryNanos;
    }

    /** One duty cycle; returns how much work it found. */
    int cycle() {
        now = System.nanoTime();
        control.heartbeat(now);
        int work = control.orders().poll(this::onOrder, ORDERS_BATCH);
        for (Priority p : Priority.values()) {
            for (Member m : members) {
                work += pollLane(m, p);
            }
        }
        for (Member m : members) {
            if (m.segment.requests().isEmpty()) {
                storms.sawEmpty(m.slot);
            }
        }
        work += hostLocks.tick(phase == Phase.STOPPING);
        for (ExitWatcher.Exit e; (e = exits.nextExit()) != null; work++) {
            if (!hostLocks.handled(e)) { // one death, one restart
                supervisor.onExit(e);
            }
        }
        supervisor.tick(now);
        detectors.tick(now);
        for (Member m : members) {
            if (m.state == Member.State.STARTING && m.listenerTried != m.segment.generation()
                    && m.segment.seccompListener() > 0) {
                takeListener(m); // before any HELLO: an executable's trampoline waits for it, then execs the program
            }
            traps.drain(m.slot, BATCH[0], this::onDecided);
        }
        pathTraps.drain(BATCH[0], this::onTripped);
        for (int slot : storms.tick(now, members)) {
            Member m = members[slot];
            supervisor.contain(m, FaultReport.Kind.STORM, "storm: more than " + storms.budget(slot)
                    + " frames/s for " + StormControl.CUT_OFF_WINDOWS * StormControl.WINDOW_NANOS / 1_000_000
                    + " ms, throttled and still flooding", StormControl.CUT_OFF_WINDOWS * StormControl.WINDOW_NANOS,
                    Evidence.storm(storms, router.coalescer(), slot));
        }
        router.coalescer().flush(now, storms::rate, false);
        observers.tick(now);
        policy.tick(now, members, router, storms, supervisor, control, fastPaths);
        fastPaths.tick(now, router);
        if (now - nextExpire >= 0) {
            router.expire(now);
            router.coalescer().publish(members, storms::eventRate);
            console.expire(now);
            if (phase != Phase.STOPPING) {
                onDemand.tick(now);
            }
            advanceBoot(); // a HELLO held too long is answered
            nextExpire = now + EXPIRE_EVERY_NANOS;
        }
        if (now - nextResources >= 0) {
            for (Member m : members) {
                long refused = m.reachable() ? resources.refusedForks(m) : 0;
                if (refused > 0) {
                    fault(Evidence.pidsLimit(m, refused, resources.files(m), now - nextResources
                            + RESOURCES_EVERY_NANOS));
                }
                Path stateDir = stateDirs.resolve(m.spec.id());
                if (m.reachable() && resources.becameFull(m, stateDir)) {
                    long[] space = resources.space(m);
                    fault(Evidence.diskLimit(m, stateDir, space[0], space[1], now - nextResources
                            + RESOURCES_EVERY_NANOS));
                }
            }
            nextResources = now + RESOURCES_EVERY_NANOS;
        }
        if (now - nextReport >= 0) {
            report();
            nextReport = now + reportEveryNanos;
        }
        return work;
    }

    /**
     * Takes over from a dead Engine. The rings it now produces may hold a record its predecessor claimed and never
     * committed: those become padding, or their consumers would wait forever. Then, where the predecessor's state
     * mirror holds together, the Engine carries on from it: calls in flight are still answered. Where it does not
     * (a record fails its checksum, or is stale), it says why and rebuilds from the components themselves.
     */
    private void resume() {
        int repaired = control.admin().repairAbandonedClaims();
        for (Member m : members) {
            for (Priority p : Priority.values()) {
                repaired += m.segment.deliveries().lane(p).repairAbandonedClaims();
            }
        }
        String how;
        try {
            how = restore(mirror.read(router.table(), control.orders(), services, providers, poolBuffers.length,
                    poolBuffers));
        } catch (StateMirror.Rejected e) {
            how = "its state mirror cannot be trusted (" + e.getMessage() + "): rebuilt from the components, "
                    + rebuild();
        }
        onDemand.resume(System.nanoTime());
        policy.carryOn();
        int listeners = 0;
        for (Member m : members) {
            int kept = control.slotListener(m.slot);
            if (m.reachable() && kept > 0) {
                Optional<String> lost = traps.takeOver(m, control.sovereignPid(), kept);
                lost.ifPresent(this::say);
                listeners += lost.isEmpty() ? 1 : 0;
            }
        }
        phase = Phase.RUNNING;
        idle.started();
        for (Member m : members) {
            if (m.reachable()) {
                dependents.tell(m); // so that it hears SERVICE_UP when a provider down now is back
            }
        }
        if (heldByPredecessor != null) {
            router.failHeld(heldByPredecessor); // after the words above: a caller sends it again once it is up
            heldByPredecessor = null;
        }
        afterTakeover = "took over after the previous Engine's death: " + how + ", " + repaired
                + " half-written frame(s) repaired, " + listeners + " seccomp listener(s) taken from the Sovereign; "
                + "idle strategy: " + idle.describe();
    }

    /** Carries on from a mirror that holds together. */
    private String restore(StateMirror.Found found) {
        long now = System.nanoTime();
        List<Member> gone = new ArrayList<>();
        int running = 0;
        for (Member m : members) {
            StateMirror.MemberState s = found.members()[m.slot];
            m.state = s.state();
            m.pid = s.pid();
            m.faultNanos = s.faultNanos();
            m.plannedRestart = s.plannedRestart();
            m.backFromPlanned = s.backFromPlanned();
            m.restartAt = s.restartAt(); // a restart waiting out its back-off still waits: the clock is the host's
            // The Sovereign starts it in a process of its own: this Engine must know it too, and whose word that was.
            m.demotion.restore(s.demotion());
            m.unloadBy = s.unloadBy(); // a partition host told to unload it: still only its UNLOADED is read
            m.containing = s.unloadBy() != 0;
            m.restarts.clear();
            for (long t : s.restarts()) {
                m.restarts.addLast(t);
            }
            if (m.reachable()) {
                running++;
                if (!supervisor.watch(m)) {
                    gone.add(m);
                }
            }
        }
        faults.carryOn(Arrays.stream(members).filter(m -> m.faultNanos != 0).map(m -> m.spec.id())
                .collect(Collectors.toSet()));
        router.restore(found.flights());
        fastPaths.restore(found.fastPaths(), now);
        int released = 0;
        for (Member m : members) {
            for (Priority p : Priority.values()) {
                released += release(m.segment.requests().lane(p), found.lanes()[3 * m.slot + p.ordinal()]);
            }
        }
        released += release(control.orders(), found.lanes()[3 * members.length]);
        mirror.carryOn(found.flights());
        heldByPredecessor = found.flights();
        long lostReplays = found.flights().stream().filter(StateMirror.Flight::held).count();
        for (Member m : members) {
            mirror.member(m);
        }
        for (Member m : gone) {
            supervisor.onExit(new ExitWatcher.Exit(m.slot, m.pid, now)); // it died while Engines changed
        }
        for (Member m : members) {
            if (m.state == Member.State.STOPPED && m.restartAt == 0 && !OnDemand.onDemand(m)) { // died booting
                m.segment.resetForNextGeneration();
                supervisor.spawn(m);
            }
        }
        return "carried on from its state mirror (generation " + control.mirror().generation() + "): "
                + (found.flights().size() - lostReplays) + " call(s) in flight kept, " + (lostReplays == 0 ? ""
                : lostReplays + " held call(s) sent back to their callers to send again (their copies died with the "
                + "Engine), ")
                + running + " running component(s) adopted, "
                + released + " frame(s) it had handled released";
    }

    /** Releases what the predecessor handled and did not release; returns how many frames. */
    private static int release(Lane lane, long handledTo) {
        int frames = 0;
        if (lane.consumed() < handledTo) {
            frames = 1; // the Engine handles one frame at a time: it died with at most one unreleased
            lane.releaseTo(handledTo);
        }
        return frames;
    }

    /**
     * Without a mirror to trust: running components are adopted and told to fail the calls that were under way; the
     * ones that died meanwhile are started again; every fast path is revoked; the mirror is written afresh.
     */
    private String rebuild() {
        int adopted = 0;
        for (Member m : members) {
            m.state = Member.State.STOPPED;
            m.restarts.clear();
            if (supervisor.adopt(m)) {
                adopted++;
                m.segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.ENGINE_RESTARTED, -1, m.slot, 0, 0, 0, 0);
            }
        }
        fastPaths.resume();
        startMirror(Math.max(1, control.mirror().generation() + 1));
        for (Member m : members) {
            if (m.state == Member.State.STOPPED) {
                m.segment.resetForNextGeneration();
                if (!OnDemand.onDemand(m)) { // one that was not running waits for a request
                    supervisor.spawn(m);
                }
            }
        }
        return adopted + " running component(s) adopted and told to fail their calls under way, "
                + (members.length - adopted) + " restarted";
    }

    /** Writes the mirror afresh: the routing table, every component, lane and fast path as they stand. */
    private void startMirror(long generation) {
        mirror.start(generation, router.table(), control.orders());
        fastPaths.mirrorAll();
    }

    /** Reads one lane of one component within its class batch and the source's storm allowance. */
    private int pollLane(Member m, Priority p) {
        if (m.unloadBy != 0) {
            // Behind its flood, perhaps: the frame that says its partition host let it go.
            try {
                return m.segment.requests().lane(p).poll(unloading[m.slot][p.ordinal()], UNLOADING_BATCH);
            } catch (LaneCorruptException e) {
                m.unloadBy = System.nanoTime(); // no UNLOADED will be read from there: its host goes
                return 1;
            }
        }
        if (m.state != Member.State.READY && m.state != Member.State.STARTING || m.containing) {
            return 0;
        }
        Lane lane = m.segment.requests().lane(p);
        int limit = Math.min(BATCH[p.ordinal()], storms.allowance(m.slot));
        if (limit == 0) {
            return 0; // throttled until the next storm window
        }
        try {
            int read = lane.poll(handlers[m.slot][p.ordinal()], limit);
            storms.count(m.slot, read);
            return read;
        } catch (LaneCorruptException e) {
            audit(m, "corrupt-lane", "lane " + lane.name() + " corrupt: " + e.getMessage());
            supervisor.contain(m, FaultReport.Kind.CORRUPT_LANE, "its " + lane.name() + " lane is corrupt: "
                    + e.getMessage());
            return 1;
        }
    }

    /** Whether there is something to read now; a throttled source's lanes wait for the next window. */
    private boolean hasWork() {
        if (!control.orders().isEmpty()) {
            return true;
        }
        for (Member m : members) {
            if ((storms.allowance(m.slot) > 0 || m.unloadBy != 0) && !m.segment.requests().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Every order handled is mirrored as handled before it is released: a successor never handles it twice. */
    private void onOrder(int type, MutableDirectBuffer b, int index, int length) {
        long handledTo = control.orders().positionAfter(length);
        handleOrder(type, b, index, length);
        mirror.orders(handledTo);
    }

    private void handleOrder(int type, MutableDirectBuffer b, int index, int length) {
        String malformed = Frame.malformed(b, index, length);
        if (malformed != null) {
            say("ignored a malformed order from the Sovereign: " + malformed);
            return;
        }
        int slot = Frame.target(b, index);
        Member m = slot >= 0 && slot < members.length ? members[slot] : null;
        switch (type) {
            case FrameType.SPAWNED -> supervisor.onSpawned(m, Frame.status(b, index), Frame.correlation(b, index));
            case FrameType.SPAWN_FAILED -> supervisor.onSpawnFailed(m, Frame.payloadText(b, index));
            case FrameType.EXITED -> supervisor.onExitStatus(m, Frame.correlation(b, index), Frame.status(b, index));
            case FrameType.SHUTDOWN -> beginShutdown();
            case FrameType.RESTART -> {
                if (m != null) {
                    policy.actions().did(m.spec.id(), ActionLog.ENGINE, "planned-restart", "restarted it as planned "
                            + "(its state checkpointed first, where it keeps one)", "the Sovereign ordered it: an "
                            + "operator's 'atomic restart' or an update");
                }
                supervisor.restart(m);
            }
            case FrameType.ORDER_PING -> control.admin().offer(FrameType.ORDER_PONG, -1, -1, 0, 0,
                    Frame.correlation(b, index), System.nanoTime());
            case FrameType.CONSOLE_REQUEST -> console.request(Frame.status(b, index), Frame.correlation(b, index), b,
                    index, System.nanoTime());
            case FrameType.FROZEN -> onDemand.frozen(m, Frame.status(b, index) == 1,
                    Frame.correlation(b, index) == 1 ? null : Frame.payloadText(b, index), System.nanoTime());
            case FrameType.SPARE_READY -> policy.spareAnswered(slot, Frame.status(b, index) == 1,
                    Frame.payloadText(b, index));
            default -> say("ignored an unknown order " + FrameType.name(type));
        }
    }

    /** Every frame handled is mirrored as handled before it is released: a successor never handles it twice. */
    private void onFrame(Member m, Priority lane, int type, DirectBuffer b, int index, int length) {
        long handledTo = m.segment.requests().lane(lane).positionAfter(length);
        handleFrame(m, lane, type, b, index, length, handledTo);
        mirror.lane(m, lane, handledTo);
    }

    private void handleFrame(Member m, Priority lane, int type, DirectBuffer b, int index, int length,
                             long handledTo) {
        String malformed = Frame.malformed(b, index, length);
        if (malformed != null) {
            audit(m, "malformed", "malformed frame on its " + lane.laneName() + " lane dropped: " + malformed);
            router.error(m, length >= Frame.HEADER_LENGTH ? Frame.correlation(b, index) : 0, 0,
                    "malformed frame refused: " + malformed);
            return;
        }
        if (Frame.source(b, index) != m.slot) {
            // Identity comes from the lane; a frame that claims another is refused, whatever it carries.
            audit(m, "forged-source", FrameType.name(type) + " claiming to come from slot " + Frame.source(b, index)
                    + " refused (it arrived on slot " + m.slot + "'s lane)");
            router.error(m, Frame.correlation(b, index), Frame.method(b, index),
                    "frame refused: its source " + Frame.source(b, index) + " is not the lane's slot " + m.slot);
            return;
        }
        switch (type) {
            case FrameType.HELLO -> {
                if (supervisor.onHello(m, Frame.status(b, index), Frame.correlation(b, index))) {
                    if (phase != Phase.BOOT || !bootOrder.holds(m, now)) {
                        welcome(m);
                    }
                } else {
                    audit(m, "stale-hello", "HELLO from pid " + Frame.correlation(b, index) + " generation "
                            + Frame.status(b, index) + " ignored");
                }
            }
            case FrameType.REQUEST -> {
                if (m.reachable()) {
                    router.onRequest(m, lane, b, index, handledTo);
                }
            }
            case FrameType.EVENT -> {
                if (m.reachable()) {
                    storms.countMerged(m.slot, router.onEvent(m, lane, storms.rate(m.slot), b, index, now));
                }
            }
            case FrameType.REPLY, FrameType.ERROR -> {
                if (!console.answer(m, type, b, index)) {
                    router.onAnswer(m, lane, type, b, index);
                }
            }
            case FrameType.INJECT -> console.inject(m, b, index, now);
            case FrameType.INJECTED -> console.injected(m, b, index);
            case FrameType.FASTPATH_CLOSED -> fastPaths.onClosed(m, Frame.target(b, index));
            case FrameType.COMPONENT_READY -> supervisor.onReady(m);
            case FrameType.UNLOADED -> supervisor.onUnloaded(m, Frame.status(b, index), Frame.correlation(b, index),
                    Frame.payloadText(b, index));
            case FrameType.CHECKPOINT -> {
                if (m.spec.state() == StateKind.CHECKPOINTED && m.reachable()) {
                    checkpoints.put(m, Frame.payloadBytes(b, index));
                } else {
                    audit(m, "checkpoint-refused", "a CHECKPOINT from a component whose state is not checkpointed");
                }
            }
            case FrameType.HEALTH -> supervisor.contain(m, FaultReport.Kind.HEALTH, "unhealthy: its health check "
                    + "failed " + Watch.FAILED_CHECKS + " times in a row: " + Frame.payloadText(b, index));
            default -> {
                audit(m, "unknown-type", "frame of type " + FrameType.name(type) + " is not allowed on a component lane");
                router.error(m, Frame.correlation(b, index), Frame.method(b, index),
                        "frame type " + type + " refused: components may send REQUEST, EVENT, REPLY, ERROR and HELLO");
            }
        }
    }

    /** Takes the seccomp listener {@code m} published and answers it; the Sovereign is told where a copy lies. */
    private void takeListener(Member m) {
        m.listenerTried = m.segment.generation();
        boolean published = m.segment.seccompListener() > 0;
        traps.take(m).ifPresent(this::say);
        if (published && traps.listenerFd(m.slot) >= 0) {
            // The Sovereign keeps a copy too: the Engine after this one takes it from there.
            control.admin().offer(FrameType.SECCOMP_LISTENER, -1, m.slot, 0, traps.listenerFd(m.slot), m.pid, 0);
        }
    }

    private void report() {
        sayAfterTakeover();
        audit.period();
        faults.period();
        String line = router.traffic().drain(reportEveryNanos);
        if (!line.isEmpty() && phase != Phase.STOPPING) {
            say("traffic " + line);
        }
        String fast = fastPaths.report();
        if (!fast.isEmpty() && phase != Phase.STOPPING) {
            say("traffic " + fast);
        }
    }

    // --- supervision callbacks ---------------------------------------------------------------------------------

    @Override
    public void settled(Member m) {
        m.upEarly = false;
        if (m.state == Member.State.READY) {
            observers.started(m);
        }
        if (phase == Phase.RUNNING && m.state == Member.State.READY && m.restarts.isEmpty() && !OnDemand.onDemand(m)) {
            say(m.label() + " started: pid " + m.pid);
        }
        onDemand.settled(m, System.nanoTime());
        if (m.state == Member.State.READY) {
            dependents.up(m);
            int replayed = router.replay(m);
            if (replayed > 0) {
                say(replayed + " idempotent call(s) replayed to " + m.label());
            }
        } else if (m.state == Member.State.GAVE_UP) {
            dependents.down(m, Dependents.GIVEN_UP, "was given up on: " + m.gaveUpReason);
            router.gaveUp(m);
        }
        advanceBoot();
    }

    @Override
    public void stoppedWhenIdle(Member m) {
        onDemand.stopped(m, System.nanoTime());
    }

    @Override
    public boolean hold(Member from, Member provider, Priority lane, DirectBuffer b, int index, long handledTo,
                        String service) {
        return onDemand.hold(from, provider, lane, b, index, handledTo, service, System.nanoTime());
    }

    @Override
    public int gone(Member m) {
        m.upEarly = false;
        onDemand.forget(m);
        policy.throttling(m, storms, true); // before its storm counts are forgotten
        storms.forget(m.slot);
        fastPaths.gone(m);
        if (m.idle != Member.Idle.STOPPING) { // stopped when idle is no fault: its next request starts it
            dependents.down(m, Dependents.RESTARTING, "stopped (pid " + m.pid + "): it is being restarted");
        }
        int held = router.held();
        int failed = router.forget(m);
        if (router.held() > held) {
            say((router.held() - held) + " idempotent call(s) to " + m.spec.id()
                    + " held, to be replayed once it is back");
        }
        return failed;
    }

    /** A detector's finding: the component is killed and restarted, its report carrying the evidence. */
    private void contain(Member m, FaultReport.Kind kind, String evidence, long detectNanos) {
        supervisor.contain(m, kind, evidence, detectNanos);
    }

    /** Gives a checkpointed component, after its WELCOME, the last state it handed over (status 1), or none. */
    private void restore(Member m) {
        byte[] state = checkpoints.get(m);
        UnsafeBuffer payload = new UnsafeBuffer(state == null ? new byte[0] : state);
        m.segment.deliveries().lane(Priority.BULK).offer(FrameType.RESTORE, -1, m.slot, 0, state == null ? 0 : 1, 0,
                0, payload, 0, payload.capacity());
        if (state != null) {
            say("restoring " + m.label() + " from its last checkpoint (" + state.length + " bytes)");
        }
    }

    @Override
    public void fault(FaultReport report) {
        if (report.kind() == FaultReport.Kind.EXIT || report.kind() == FaultReport.Kind.CRASH) {
            String id = report.component();
            Member m = Arrays.stream(members).filter(x -> x.spec.id().equals(id)).findFirst().orElseThrow();
            // The dead incarnation's pid: the report may be filed once its successor runs.
            long kills = resources.oomKills(m, report.facts().get("pid") instanceof Number pid ? pid.longValue()
                    : m.pid);
            if (kills > 0) {
                report = Evidence.memoryLimit(report, m, kills, resources.files(m));
            }
        }
        if (faults.report(report)) { // not each of a flood: it is folded into a count
            say(report.line());
            observers.fault(report);
            policy.actions().did(report.component(), ActionLog.ENGINE, "fault", "a fault: " + report.action(),
                    report.kind() + ": " + report.evidence());
        }
        audit.fault(report);
    }

    @Override
    public void recovered(Member m, long nanos) {
        faults.recovered(m.spec.id(), nanos);
    }

    @Override
    public void exitKnown(Member m, long pid, String how) {
        faults.exitKnown(m.spec.id(), pid, how);
        observers.exitKnown(m, pid, how);
    }

    /** A trapped call decided: recorded, and a denied one is a POLICY fault. */
    private void onDecided(SyscallTraps.Decided d) {
        Member m = members[d.slot()];
        audit(m, d.outcome().decision().allowed() ? "syscall-allowed" : "syscall-denied", d.outcome().toString());
        if (!d.outcome().decision().allowed()) {
            fault(Evidence.policy(m, d.outcome(), d.decideNanos()));
        }
    }

    /** A decoy opened: refused, recorded, and a POLICY fault of the component whose view it is in. */
    private void onTripped(PathTraps.Tripped t) {
        Arrays.stream(members).filter(m -> m.spec.id().equals(t.what().component())).findFirst().ifPresent(m -> {
            audit(m, "open-denied", "open " + t.what().target() + ": deny EPERM");
            fault(Evidence.tripwire(m, t));
        });
    }

    /** Answers a component's HELLO: its seccomp listener taken, its grants, its checkpoint, what is down. */
    private void welcome(Member m) {
        takeListener(m); // before WELCOME: once welcomed, the host closes its copy
        // What is down before WELCOME: a host welcomed runs init and start at once, and must not call out first.
        dependents.tell(m);
        router.welcome(m);
        if (m.spec.state() == StateKind.CHECKPOINTED) {
            restore(m);
        }
        if (m.faultNanos != 0 && !OnDemand.onDemand(m)) {
            // Restarted: its dependents hear it is back now, and their calls wait for its init and start in the
            // Engine (OnDemand.hold), reaching it as it becomes ready rather than a SERVICE_UP and a call later.
            m.upEarly = true;
            dependents.up(m);
        }
    }

    // --- boot and shutdown -------------------------------------------------------------------------------------

    /**
     * Moves the boot on ({@link BootOrder}): starts every boot component at once, welcomes each held one whose
     * providers are up, says each kernel's stage once all its components are up (or given up on), and waits for the
     * first answer once every kernel is.
     */
    private void advanceBoot() {
        if (phase != Phase.BOOT) {
            return;
        }
        if (!bootSpawned) {
            bootSpawned = true;
            bootOrder.atBoot().forEach(supervisor::spawn);
        }
        long t = System.nanoTime();
        for (Member m : bootOrder.released(t)) {
            if (!bootOrder.providersUp(m)) {
                say(m.label() + " waited " + Say.millis(BootOrder.MAX_HOLD_NANOS) + " for " + bootOrder.waited(m)
                        + ": it starts now, and hears when each is ready");
            }
            welcome(m);
        }
        for (Kernel kernel : Kernel.values()) {
            if (!kernelsUp.contains(kernel) && bootOrder.settled(kernel)) {
                kernelsUp.add(kernel);
                stage(kernel.word(), summary(kernel), System.nanoTime() - phaseStart);
            }
        }
        if (!bootOrder.settled(null)) {
            return;
        }
        phase = Phase.FIRST_ANSWER;
        idle.started();
        phaseStart = System.nanoTime();
        if (Arrays.stream(members).allMatch(m -> m.spec.calls().isEmpty() || m.state != Member.State.READY)) {
            ready("no component makes calls");
        } else if (routedOnce) {
            // Callers that started early may have made all their calls already: none may follow.
            ready("requests answered through the Engine while the kernels started");
        }
    }

    private String summary(Kernel kernel) {
        List<Member> inKernel = Arrays.stream(members).filter(m -> m.spec.kernel() == kernel).toList();
        return inKernel.isEmpty() ? "no components" : inKernel.stream()
                .map(m -> m.state == Member.State.READY ? m.spec.id() + " ready (pid " + m.pid + ")"
                        + (bootOrder.waited(m).isEmpty() ? "" : " after " + bootOrder.waited(m))
                        : OnDemand.resting(m) ? m.spec.id() + " on demand, not started"
                        : m.spec.id() + " NOT started")
                .collect(Collectors.joining(", "));
    }

    @Override
    public void answered() {
        if (!routedOnce) {
            routedOnce = true;
            control.firstRouted(System.nanoTime());
        }
        if (phase == Phase.FIRST_ANSWER) {
            ready("first request answered through the Engine");
        }
        sayAfterTakeover();
    }

    private void sayAfterTakeover() {
        if (afterTakeover != null) {
            say(afterTakeover);
            afterTakeover = null;
        }
    }

    private void ready(String what) {
        stage("traffic", what, System.nanoTime() - phaseStart);
        phase = Phase.RUNNING;
        control.admin().offer(FrameType.READY, -1, -1, 0, 0, 0, 0);
    }

    private void stage(String name, String text, long nanos) {
        byte[] payload = Frame.utf8(name + "\t" + text);
        control.admin().offer(FrameType.STAGE, -1, -1, 0, 0, nanos, 0, new UnsafeBuffer(payload), 0, payload.length);
    }

    private void beginShutdown() {
        if (phase == Phase.STOPPING) {
            return;
        }
        phase = Phase.STOPPING;
        supervisor.stopping();
        fastPaths.stopping();
        stoppingSince = System.nanoTime();
        control.engineState(ControlRegion.STOPPING);
        router.coalescer().flush(now, storms::rate, true);
        for (Member m : members) {
            if (m.state == Member.State.READY) {
                m.segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.STOP, -1, m.slot, 0, 0, 0, 0);
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
                    m.kill();
                }
            } else if (m.state == Member.State.SPAWNING && !late) {
                allGone = false; // the Sovereign may still report it; it kills leftovers anyway
            }
        }
        return allGone;
    }

    @Override
    public void audit(Member m, String kind, String what) {
        audit.record(m.spec.id(), kind, what);
    }

    @Override
    public void acted(Member m, String kind, String what, String why) {
        policy.actions().again(m.spec.id(), ActionLog.ENGINE, kind, what, why);
    }

    @Override
    public void say(String text) {
        Say.line(out, "engine", text);
    }

    @Override
    public void close() {
        traps.close();
        pathTraps.close();
        exits.close();
        hostLocks.close();
        checkpoints.close();
        idle.close();
        audit.close();
        policy.close();
        faults.close();
        control.engineState(ControlRegion.STOPPING);
        wakeArena.close();
    }
}
