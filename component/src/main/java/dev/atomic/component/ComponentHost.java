package dev.atomic.component;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Doorbell;
import dev.atomic.bridge.FastPathSegment;
import dev.atomic.bridge.LaneGroup;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.PoolRef;
import dev.atomic.bridge.PoolSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.system.Prctl;
import dev.atomic.system.Proc;
import dev.atomic.system.FutexSet;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.Signals;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process a component runs in: attaches to the component's own lane segment, says HELLO, receives its grants,
 * runs the component, and serves its lane until told to stop. Started by the Sovereign as
 * {@code ComponentHost <segment-path> <component-class> <component-id> <system> <parent-pid> <inherited>}: the
 * segments come as inherited descriptors ({@link InheritedSegments}), the parent pid is the one this process should
 * see ({@code 0} in a sandbox, whose parent lies outside its pid namespace).
 */
public final class ComponentHost implements ComponentContext {
    private static final long WELCOME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The Engine answers an INJECT within its own 5 s wait for the target. */
    private static final Duration INJECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int SPIN_BEFORE_SLEEP = 200;
    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String id;
    private final LaneSegment segment;
    private final LaneGroup requests;
    private final LaneGroup deliveries;
    /** The request rings are single-producer: the lane thread, workers and the component's own threads take turns. */
    private final Object sendLock = new Object();
    private final int slot;
    private final Map<String, Integer> grants = new HashMap<>();
    /** The interface version each granted binding was negotiated at. */
    private final Map<String, Integer> versions = new HashMap<>();
    /** Bindings the Engine refused at start (incompatible versions), with its reason. */
    private final Map<String, String> refusals = new HashMap<>();
    /** Pools this component lends from, by service id, with the buffers it holds right now. */
    private final Map<Integer, LenderPool> lending = new HashMap<>();
    /** Pools this component is lent from, by pool id. */
    private final Map<Integer, PoolSegment> borrowing = new HashMap<>();

    private record LenderPool(PoolSegment segment, java.util.concurrent.BlockingQueue<Integer> free) {
    }
    private record Handler(ServiceHandler handler, boolean inline) {
    }

    /** How an answer leaves: through the Engine, or on a fast path's reply ring. */
    private interface Replier {
        boolean offer(int type, int requester, int method, long correlation, UnsafeBuffer payload);

        /** The largest answer that fits one frame. */
        int maxPayload();
    }

    /** Answers through the Engine on the lane the request came in on (the transfer lane when that is too small). */
    private Replier viaEngine(Priority requestLane) {
        return new Replier() {
            @Override
            public boolean offer(int type, int requester, int method, long correlation, UnsafeBuffer payload) {
                Priority lane = payload.capacity() <= requests.lane(requestLane).maxPayload() ? requestLane
                        : Priority.BULK;
                return send(lane, type, 0, requester, method, 0, correlation, 0, payload);
            }

            @Override
            public int maxPayload() {
                return Math.max(requests.lane(requestLane).maxPayload(), requests.lane(Priority.BULK).maxPayload());
            }
        };
    }

    private final Map<Integer, Handler> handlers = new ConcurrentHashMap<>();
    private final Map<Integer, EventHandler> eventHandlers = new ConcurrentHashMap<>();
    /** Fast paths this component calls through, by service id and by fast path id. */
    private final Map<Integer, FastPathCaller> fastByService = new ConcurrentHashMap<>();
    private final Map<Integer, FastPathCaller> fastCallers = new ConcurrentHashMap<>();
    /** Fast paths this component answers on. */
    private final java.util.List<FastPathProvider> fastProviders = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<Integer, FastPathSegment> fastSegments = new ConcurrentHashMap<>();
    private volatile java.util.List<Doorbell> bells = java.util.List.of();
    /**
     * The lane thread's, made once it answers on a fast path: probing for futex_waitv links a native call, which a
     * host's start (a cold restart's wait) does not need.
     */
    private FutexSet sleepSet;
    /**
     * The delivery lanes have one consumer at a time: the lane thread, or a caller waiting for its reply, which
     * reads them itself rather than be woken by the lane thread — no thread hand-off on the way back.
     */
    private final java.util.concurrent.locks.ReentrantLock deliveryLock = new java.util.concurrent.locks.ReentrantLock();
    private final Map<Long, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final AtomicLong correlations = new AtomicLong();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    /** Ordinary events, merged within the window the Engine sets before they reach the lane. */
    private final EventMerger events;
    private final SystemSpec system;
    private final InheritedSegments inherited;
    /**
     * This process as the Sovereign and the Engine know it: in a sandbox, not the pid it sees itself. Known once the
     * Sovereign wrote it in the lane segment.
     */
    private long pid;
    private volatile java.util.function.Consumer<Observation> observer;
    private volatile boolean welcomed;
    private volatile boolean stopping;
    /** The generation an embedded component was loaded as, once it runs (-1 before): its UNLOADED names it. */
    private int loadedAs = -1;
    /** Failed in its partition host: it is stopping, but not because it was told to. */
    private volatile boolean abandoned;
    /** UNLOADED sent: the lanes are no longer this incarnation's. Guarded by {@link #sendLock}. */
    private boolean gone;
    /** Services it is bound to that are down now, by service id, with the Engine's words naming the provider. */
    private final Map<Integer, String> down = new ConcurrentHashMap<>();
    /** Those of {@link #down} whose provider was given up on: no call waits for them. */
    private final Set<Integer> givenUp = ConcurrentHashMap.newKeySet();
    /** While its init and start run: its calls wait for a provider still coming up ({@link #failIfDown}). */
    private volatile boolean starting;
    private final java.util.List<ServiceStateListener> stateListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** A checkpointed component's last state, as RESTORE brought it (null: none); restoring once it came. */
    private volatile byte[] restored;
    private volatile boolean restoreCame;
    private volatile Upkeep upkeep;
    /** Upkeep's thread: started before a restart needs this host (a spare's, before its order), not on its way. */
    private final java.util.concurrent.ScheduledThreadPoolExecutor upkeepTimer = Upkeep.timer();
    private volatile Component component;
    /** A misbehaviour its test hook accepted, for the lane thread to run (a hang must stop the heartbeat). */
    private volatile Runnable injected;
    private PrintStream log = System.out;
    /** Null in a process of its own, where exit ends the process. */
    private java.util.function.Consumer<String> onExit;

    private ComponentHost(String id, LaneSegment segment, SystemSpec system, InheritedSegments inherited) {
        this.id = id;
        this.segment = segment;
        this.requests = segment.requests();
        this.deliveries = segment.deliveries();
        this.slot = segment.slot();
        this.system = system;
        this.inherited = inherited;
        this.events = new EventMerger(segment::coalescingWindowNanos, (serviceId, method, payload, count, since) ->
                send(Priority.NORMAL, FrameType.EVENT, 0, serviceId, method, count, since, 0, payload));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ComponentHost <segment-path> <component-class> <component-id> <system> "
                    + "<parent-pid> <inherited>");
            System.exit(2);
        }
        // Die with the parent, never outlive it: if it is already gone, stop before touching anything. In a sandbox
        // the parent (bubblewrap, which dies with the Sovereign) is outside this pid namespace and shows as 0.
        Prctl.setParentDeathSignal(Signals.SIGKILL);
        if (Proc.parentPid() != Long.parseLong(args[4])) {
            System.err.println("the parent (pid " + args[4] + ") is gone; exiting");
            System.exit(3);
        }
        LaneSegment segment = LaneSegment.attach(SharedMemory.open(Path.of(args[0])));
        ComponentHost host = new ComponentHost(args[2], segment, SystemSpec.load(args[3]),
                InheritedSegments.parse(args[5]));
        boolean spare = SpareWait.isSpare();
        if (spare) {
            // Before the filter: nothing answers its trapped calls until the Engine takes it.
            SpareWait.warmUp(host.system, args[2], SpareRehearsal.ROUNDS);
        }
        int listener;
        try {
            listener = HostFilter.install(host.spec().sandbox().network());
        } catch (IllegalStateException e) {
            System.err.println(args[2] + " not started: " + e.getMessage());
            System.exit(4);
            return;
        }
        Class<?> main = Class.forName(args[1], false, ComponentHost.class.getClassLoader());
        java.util.concurrent.Callable<Component> make = SpareWait.maker(main, spare);
        host.upkeepTimer.prestartCoreThread();
        if (spare) {
            SpareWait.awaitOrder(); // everything above is what a restart no longer waits for
        }
        // Only its code runs after the handshake: its static initialisers and constructor, under both filters,
        // trapped calls answered.
        host.serve(listener, make);
        Runtime.getRuntime().halt(0);
    }

    /**
     * From the pid the Sovereign wrote to the component's stop: the handshake (its seccomp listener handed to the
     * Engine), then the component made and run. What a warm spare rehearses ({@link SpareRehearsal}).
     */
    void serve(int listener, java.util.concurrent.Callable<Component> component) throws Exception {
        pid = awaitPid(segment);
        // Held by this thread, which lives as long as the process: the kernel releases it as the process dies, the
        // Engine's first news of the death (a pidfd hears ~10 ms later, once the address space is torn down).
        segment.takeHostLock();
        HostFilter.publish(segment, listener);
        hello();
        HostFilter.handOver(segment, listener, log());
        run(component.call());
    }

    /**
     * A Tier 1 component's host inside its kernel's partition host ({@link PartitionHost}): one per incarnation, with
     * its own log; {@code onExit} hears the component's {@link #exit}.
     */
    static ComponentHost embedded(String id, LaneSegment segment, SystemSpec system, PrintStream log,
                                  java.util.function.Consumer<String> onExit) {
        ComponentHost host = new ComponentHost(id, segment, system, new InheritedSegments(Map.of(), Map.of()));
        host.log = log;
        host.onExit = onExit;
        return host;
    }

    /** A host that rehearses a warm spare's start ({@link SpareRehearsal}): private lanes, its words dropped. */
    static ComponentHost rehearsing(String id, LaneSegment segment, SystemSpec system, PrintStream log) {
        return embedded(id, segment, system, log, null);
    }

    /**
     * Runs an embedded component on this thread, its lane thread: returns once it stopped when told to, throws when
     * it failed.
     */
    void runEmbedded(Component component) throws Exception {
        loadedAs = segment.generation();
        pid = awaitPid(segment);
        hello();
        run(component);
    }

    /** Gives up on an embedded component that failed: its lane thread leaves, its workers are interrupted. */
    void abandon() {
        abandoned = true;
        stopping = true;
        Upkeep u = upkeep;
        if (u != null) {
            u.close();
        }
        workers.shutdownNow();
    }

    /** Tells the Engine the partition host unloaded this component: 0 stopped as told, 1 failed ({@code why}). */
    void unloaded(int status, String why) {
        long giveUp = System.nanoTime() + WELCOME_TIMEOUT_NANOS;
        int as = loadedAs >= 0 ? loadedAs : segment.generation(); // one that failed before it ran: this incarnation
        while (!send(Priority.NORMAL, FrameType.UNLOADED, 0, 0, 0, status, as, 0, new UnsafeBuffer(Frame.utf8(why)))
                && System.nanoTime() < giveUp) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** The Sovereign writes the pid it started us as into the segment, before it tells the Engine. */
    private static long awaitPid(LaneSegment segment) {
        long giveUp = System.nanoTime() + WELCOME_TIMEOUT_NANOS;
        for (long pid; ; ) {
            if ((pid = segment.componentPid()) > 0) {
                return pid;
            }
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the Sovereign did not write this component's pid within 10 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Says HELLO and waits for WELCOME, which brings its grants. */
    private void hello() {
        if (!send(Priority.NORMAL, FrameType.HELLO, 0, 0, 0, segment.generation(), pid, 0, EMPTY)) {
            throw new IllegalStateException("lane full before HELLO");
        }
        long giveUp = System.nanoTime() + WELCOME_TIMEOUT_NANOS;
        while (!welcomed) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the Engine did not answer HELLO within 10 s");
            }
            pollOrSleep();
        }
    }

    private void run(Component component) throws Exception {
        ComponentSpec spec = spec();
        boolean checkpointed = spec.state() == StateKind.CHECKPOINTED;
        long giveUp = System.nanoTime() + WELCOME_TIMEOUT_NANOS;
        while (checkpointed && !restoreCame) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the Engine sent no RESTORE within 10 s of its WELCOME");
            }
            pollOrSleep();
        }
        upkeep = new Upkeep(component, spec.watch(), checkpointed, upkeepTimer, new Upkeep.Sender() {
            @Override
            public boolean checkpoint(byte[] state) {
                return send(Priority.BULK, FrameType.CHECKPOINT, 0, 0, 0, 0, 0, 0, new UnsafeBuffer(state));
            }

            @Override
            public boolean unhealthy(String why) {
                return send(Priority.NORMAL, FrameType.HEALTH, 0, 0, 0, 0, 0, 0, new UnsafeBuffer(Frame.utf8(why)));
            }

            @Override
            public int maxCheckpoint() {
                return requests.lane(Priority.BULK).maxPayload();
            }
        }, log());
        this.component = component;
        starting = true;
        component.init(this);
        if (restored != null) {
            component.restore(restored);
            log().println(id + ": restored its last checkpoint (" + restored.length + " bytes)");
        }
        component.start();
        starting = false;
        segment.componentReady(true);
        if (!send(Priority.NORMAL, FrameType.COMPONENT_READY, 0, 0, 0, 0, 0, 0, EMPTY)) {
            throw new IllegalStateException("lane full before COMPONENT_READY");
        }
        upkeep.start();
        while (!stopping) {
            pollOrSleep();
        }
        upkeep.close();
        // Keep reading while the component stops: answers to its last calls must still reach it.
        Thread stopper = Thread.ofPlatform().name("stop").start(component::stop);
        long stopBy = System.nanoTime() + STOP_GRACE_NANOS;
        while ((stopper.isAlive() || !pending.isEmpty()) && System.nanoTime() < stopBy) {
            segment.beat();
            pollAll();
            Thread.onSpinWait();
        }
        events.close();
        workers.shutdown();
        workers.awaitTermination(1, TimeUnit.SECONDS);
        if (!abandoned) { // a failed one's log says how it failed instead
            log.println(id + ": stopped");
            log.flush();
        }
    }

    /** Components spin only briefly and then sleep on the lane's futex: on few cores, long spins starve the Engine. */
    private void pollOrSleep() {
        Runnable misbehave = injected;
        if (misbehave != null) {
            injected = null;
            misbehave.run();
        }
        segment.beat();
        for (int i = 0; i < SPIN_BEFORE_SLEEP; i++) {
            if (pollAll() > 0) {
                return;
            }
            Thread.onSpinWait();
        }
        if (fastProviders.isEmpty() || !FutexSet.supported()) {
            deliveries.await(SLEEP_NANOS);
        } else {
            if (sleepSet == null) {
                sleepSet = new FutexSet(FutexSet.MAX);
            }
            Doorbell.awaitAny(sleepSet, bells, SLEEP_NANOS, this::hasWork);
        }
    }

    /** Reads the delivery lanes, unless a waiting caller is reading them already (it handles what it finds). */
    private int pollDeliveries() {
        if (!deliveryLock.tryLock()) {
            return 0;
        }
        try {
            return deliveries.poll(this::onFrame, 64);
        } finally {
            deliveryLock.unlock();
        }
    }

    private int pollAll() {
        int read = pollDeliveries();
        boolean closed = false;
        for (FastPathProvider p : fastProviders) {
            read += p.segment.requests().poll((type, b, i, length) -> onFastRequest(p, type, b, i, length), 64);
            if (p.closeNow()) {
                sendClosed(p.id);
                closed = true;
            }
        }
        if (closed) {
            fastProviders.removeIf(p -> p.revoked);
            rebuildBells();
        }
        return read;
    }

    private boolean hasWork() {
        if (!deliveries.isEmpty()) {
            return true;
        }
        for (FastPathProvider p : fastProviders) {
            if (!p.segment.requests().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private void rebuildBells() {
        var all = new java.util.ArrayList<Doorbell>();
        all.add(deliveries.doorbell());
        fastProviders.forEach(p -> all.add(p.segment.requests().doorbell()));
        bells = all;
    }

    private void onFrame(int type, MutableDirectBuffer buffer, int index, int length) {
        switch (type) {
            case FrameType.WELCOME -> onWelcome(buffer, index);
            case FrameType.REQUEST -> onRequest(buffer, index);
            case FrameType.REPLY -> complete(Frame.correlation(buffer, index), Frame.payloadBytes(buffer, index), null);
            case FrameType.ERROR -> complete(Frame.correlation(buffer, index), null, Frame.payloadText(buffer, index),
                    Frame.status(buffer, index) == FrameType.ERROR_RESEND);
            case FrameType.STOP -> stopping = true;
            case FrameType.FASTPATH_OPEN -> onFastOpen(buffer, index);
            case FrameType.FASTPATH_REVOKE -> onFastRevoke(Frame.target(buffer, index), Frame.status(buffer, index) == 1,
                    Frame.payloadText(buffer, index));
            case FrameType.EVENT -> onEvent(buffer, index);
            case FrameType.OBSERVATION -> {
                java.util.function.Consumer<Observation> handler = observer;
                if (handler != null) {
                    handler.accept(Observation.parse(Frame.payloadBytes(buffer, index)));
                }
            }
            case FrameType.SERVICE_DOWN -> serviceState(Frame.target(buffer, index), false,
                    Frame.status(buffer, index) == FrameType.DOWN_GIVEN_UP, Frame.payloadText(buffer, index));
            case FrameType.SERVICE_UP -> serviceState(Frame.target(buffer, index), true, false,
                    Frame.payloadText(buffer, index));
            case FrameType.CHECKPOINT -> {
                if (upkeep != null) {
                    upkeep.checkpoint(); // here, on the lane thread: before a STOP behind it is read
                }
            }
            case FrameType.INJECT -> onInject(Frame.status(buffer, index), Frame.correlation(buffer, index));
            case FrameType.RESTORE -> {
                restored = Frame.status(buffer, index) == 1 ? Frame.payloadBytes(buffer, index) : null;
                restoreCame = true;
            }
            case FrameType.ENGINE_RESTARTED -> {
                for (Long correlation : java.util.List.copyOf(pending.keySet())) {
                    complete(correlation, null, "the Engine restarted while the call was under way; call again");
                }
            }
            default -> log().println("ignored a frame of unknown type " + type);
        }
    }

    /** Asks the component's test hook; the answer goes first, the misbehaviour runs on the lane thread after. */
    private void onInject(int kind, long correlation) {
        Component c = component;
        Injection asked = kind >= 0 && kind < Injection.values().length ? Injection.values()[kind] : null;
        Runnable hook = null;
        try {
            hook = c == null || asked == null ? null : c.inject(asked);
        } catch (RuntimeException e) {
            log().println(id + ": its inject hook failed: " + e);
        }
        String words = hook != null ? id + " accepts: its " + asked.word() + " test hook runs now"
                : id + " offers no test hook for " + (asked == null ? "fault kind " + kind : asked.word())
                + " (Component.inject)";
        send(Priority.CRITICAL, FrameType.INJECTED, 0, 0, 0, hook != null ? 1 : 0, correlation, 0,
                new UnsafeBuffer(Frame.utf8(words)));
        if (hook != null) {
            log().println(id + ": injected " + asked.word() + " (atomic inject)");
            injected = hook;
        }
    }

    @Override
    public String inject(String target, Injection kind) throws CallFailedException {
        long correlation = correlations.incrementAndGet();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        pending.put(correlation, reply);
        try {
            if (!send(Priority.CRITICAL, FrameType.INJECT, 0, 0, 0, kind.ordinal(), correlation, 0,
                    new UnsafeBuffer(Frame.utf8(target + " " + kind.word())))) {
                throw new CallFailedException("inject refused: the critical lane to the Engine is full");
            }
            return new String(await("inject", reply, INJECT_TIMEOUT), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            pending.remove(correlation);
        }
    }

    /** A bound service went down or came back: new calls to it fail at once until it is back. */
    private void serviceState(int serviceId, boolean up, boolean gaveUp, String detail) {
        if (up || !gaveUp) {
            givenUp.remove(serviceId);
        } else {
            givenUp.add(serviceId);
        }
        if (up ? down.remove(serviceId) == null : detail.equals(down.put(serviceId, detail))) {
            return; // nothing changed (a new Engine says again what it sees)
        }
        String service = serviceId >= 0 && serviceId < system.services().size() ? system.services().get(serviceId)
                : "service " + serviceId;
        for (ServiceStateListener l : stateListeners) {
            try {
                l.changed(service, up, detail);
            } catch (RuntimeException e) {
                log().println(id + ": its service state listener failed: " + e);
            }
        }
    }

    /** WELCOME payload: count, then per granted service: id (-1 if refused), version, name, refusal text. */
    private void onWelcome(DirectBuffer b, int index) {
        if (welcomed) {
            return; // a new Engine answering a HELLO its predecessor had already answered
        }
        int at = index + Frame.HEADER_LENGTH;
        int count = b.getInt(at);
        at += 4;
        for (int i = 0; i < count; i++) {
            int serviceId = b.getInt(at);
            int version = b.getInt(at + 4);
            at += 8;
            String name = b.getStringUtf8(at);
            at += 4 + b.getInt(at);
            String refusal = b.getStringUtf8(at);
            at += 4 + b.getInt(at);
            if (serviceId >= 0) {
                grants.put(name, serviceId);
                versions.put(name, version);
            } else {
                refusals.put(name, refusal);
            }
        }
        int pools = b.getInt(at);
        at += 4;
        for (int i = 0; i < pools; i++) {
            int poolId = b.getInt(at);
            int serviceId = b.getInt(at + 4);
            boolean lender = b.getInt(at + 8) == 0;
            at += 12;
            at += 4 + b.getInt(at); // the pool's path as the Sovereign holds it: this process maps its own descriptor
            PoolSegment pool = PoolSegment.attach(SharedMemory.open(inherited.pool(poolId)));
            if (lender) {
                var free = new java.util.concurrent.ArrayBlockingQueue<Integer>(pool.buffers());
                for (int buffer = 0; buffer < pool.buffers(); buffer++) {
                    free.add(buffer);
                }
                lending.put(serviceId, new LenderPool(pool, free));
            } else {
                borrowing.put(poolId, pool);
            }
        }
        welcomed = true;
    }

    private void onRequest(DirectBuffer b, int index) {
        int requester = Frame.source(b, index);
        int method = Frame.method(b, index);
        long correlation = Frame.correlation(b, index);
        Handler handler = handlers.get(Frame.target(b, index));
        Priority lane = Priority.of(Frame.lane(b, index));
        Replier replier = viaEngine(lane == null ? Priority.NORMAL : lane);
        if ((Frame.flags(b, index) & Frame.FLAG_POOL) != 0) {
            int at = index + Frame.HEADER_LENGTH;
            PoolSegment pool = borrowing.get(PoolRef.pool(b, at));
            MemorySegment lent = pool == null ? null : pool.slice(PoolRef.offset(b, at), PoolRef.length(b, at));
            dispatch(handler, () -> answer(handler, requester, method, correlation, null, lent, replier));
        } else {
            byte[] request = Frame.payloadBytes(b, index);
            dispatch(handler, () -> answer(handler, requester, method, correlation, request, null, replier));
        }
    }

    private void onEvent(DirectBuffer b, int index) {
        EventHandler handler = eventHandlers.get(Frame.target(b, index));
        if (handler != null) {
            handler.onEvent(Frame.method(b, index), Frame.payloadBytes(b, index), Frame.status(b, index),
                    Frame.correlation(b, index), Frame.deadline(b, index));
        }
    }

    boolean emit(int serviceId, int method, byte[] event, boolean critical) {
        return critical ? send(Priority.CRITICAL, FrameType.EVENT, 0, serviceId, method, 0, System.nanoTime(), 0,
                new UnsafeBuffer(event)) : events.emit(serviceId, method, event);
    }

    /** An inline handler answers on the lane thread: no hand-off, for handlers that never block. */
    private void dispatch(Handler handler, Runnable task) {
        if (handler != null && handler.inline()) {
            task.run();
        } else {
            workers.execute(task);
        }
    }

    /** Exactly one of {@code request} and {@code lent} is set. Answers must not be dropped: waits for room. */
    private void answer(Handler handler, int requester, int method, long correlation, byte[] request,
                        MemorySegment lent, Replier replier) {
        byte[] reply;
        int type = FrameType.REPLY;
        try {
            if (handler == null) {
                throw new IllegalStateException(id + " provides no such service");
            }
            if (request == null && lent == null) {
                throw new IllegalStateException(id + " was lent a buffer of a pool it does not share");
            }
            reply = request != null ? handler.handler().handle(method, request)
                    : handler.handler().handleInPlace(method, lent);
        } catch (Exception e) {
            type = FrameType.ERROR;
            reply = Frame.utf8(id + " failed to handle method " + method + ": " + e);
        }
        if (reply.length > replier.maxPayload()) {
            type = FrameType.ERROR;
            reply = Frame.utf8(id + "'s answer to method " + method + " is " + reply.length + " bytes, more than one "
                    + "frame carries (" + replier.maxPayload() + "): answer in parts, or through a pool");
        }
        UnsafeBuffer payload = new UnsafeBuffer(reply);
        while (!replier.offer(type, requester, method, correlation, payload) && !stopping) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    // --- fast paths ---------------------------------------------------------------------------------------------

    private void onFastOpen(DirectBuffer b, int index) {
        int fastId = Frame.target(b, index);
        boolean provider = Frame.status(b, index) == 1;
        int at = index + Frame.HEADER_LENGTH;
        int serviceId = b.getInt(at);
        int count = b.getInt(at + 4);
        at += 8;
        var methods = new java.util.HashSet<Integer>();
        for (int i = 0; i < count; i++, at += 4) {
            methods.add(b.getInt(at));
        }
        // Mapped once per fast path, from the descriptor it inherited: re-openings reuse the mapping.
        FastPathSegment segment = fastSegments.computeIfAbsent(fastId,
                x -> FastPathSegment.attach(SharedMemory.open(inherited.fastPath(fastId))));
        if (provider) {
            fastProviders.removeIf(p -> p.id == fastId);
            fastProviders.add(new FastPathProvider(fastId, serviceId, methods, segment));
            rebuildBells();
        } else {
            FastPathCaller caller = new FastPathCaller(fastId, serviceId, segment);
            fastCallers.put(fastId, caller);
            fastByService.put(serviceId, caller);
        }
    }

    private void onFastRevoke(int fastId, boolean peerDied, String reason) {
        FastPathCaller caller = fastCallers.remove(fastId);
        if (caller != null) {
            fastByService.remove(caller.serviceId, caller);
            for (long correlation : caller.revoke(peerDied)) {
                complete(correlation, null, "the fast path was revoked (" + reason + ") with the call under way");
            }
            if (caller.closeNow()) {
                sendClosed(fastId);
            }
            return;
        }
        for (FastPathProvider p : fastProviders) {
            if (p.id == fastId) {
                p.revoked = true; // pollAll drains it and reports it closed
                return;
            }
        }
        sendClosed(fastId); // nothing open here (a new incarnation): closed already
    }

    private void onFastRequest(FastPathProvider p, int type, DirectBuffer b, int index, int length) {
        if (type != FrameType.REQUEST || Frame.malformed(b, index, length) != null) {
            return; // only the caller writes this ring; it hurts nobody but itself
        }
        int requester = Frame.source(b, index);
        int method = Frame.method(b, index);
        long correlation = Frame.correlation(b, index);
        Replier onRing = new Replier() {
            @Override
            public boolean offer(int t, int target, int m, long c, UnsafeBuffer payload) {
                synchronized (p.replyLock) {
                    return p.segment.replies().offer(t, 0, slot, target, m, 0, c, 0, payload, 0, payload.capacity());
                }
            }

            @Override
            public int maxPayload() {
                return p.segment.replies().maxPayload();
            }
        };
        if (!p.allows(method)) {
            onRing.offer(FrameType.ERROR, requester, method, correlation,
                    new UnsafeBuffer(Frame.utf8("method " + method + " is not granted on this fast path")));
            return;
        }
        Handler handler = handlers.get(p.serviceId);
        byte[] request = Frame.payloadBytes(b, index);
        p.underWay.incrementAndGet();
        dispatch(handler, () -> {
            try {
                answer(handler, requester, method, correlation, request, null, onRing);
            } finally {
                p.underWay.decrementAndGet();
            }
        });
    }

    /** A call on an open fast path; null when the path was revoked meanwhile and the call must use the Engine. */
    private byte[] callFast(FastPathCaller f, String service, int method, byte[] request, Duration timeout)
            throws CallFailedException {
        long correlation = correlations.incrementAndGet();
        if (!f.enter(correlation)) {
            return null;
        }
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        pending.put(correlation, reply);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean written;
            synchronized (f.writeLock) {
                written = f.segment.requests().offer(FrameType.REQUEST, 0, slot, f.serviceId, method, 0, correlation,
                        deadline, new UnsafeBuffer(request), 0, request.length);
            }
            if (!written) {
                return null; // the ring is full: the Engine's path still has room
            }
            // The calling thread reads the reply ring itself: no hand-off between threads on the fast path.
            int idle = 0;
            while (!reply.isDone()) {
                int read;
                synchronized (f.readLock) {
                    read = f.segment.replies().poll(this::onFastReply, 64);
                }
                if (read > 0) {
                    idle = 0;
                } else if (System.nanoTime() - deadline > 0) {
                    throw new CallFailedException("call to " + service + " got no answer within " + timeout.toMillis()
                            + " ms (fast path)");
                } else if (++idle < SPIN_BEFORE_SLEEP) {
                    Thread.onSpinWait();
                } else {
                    f.segment.replies().await(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            return await(service, reply, timeout);
        } finally {
            pending.remove(correlation);
            if (f.exit(correlation)) {
                sendClosed(f.id);
            }
        }
    }

    private void onFastReply(int type, MutableDirectBuffer b, int index, int length) {
        if (Frame.malformed(b, index, length) != null) {
            return;
        }
        if (type == FrameType.REPLY) {
            complete(Frame.correlation(b, index), Frame.payloadBytes(b, index), null);
        } else if (type == FrameType.ERROR) {
            complete(Frame.correlation(b, index), null, Frame.payloadText(b, index));
        }
    }

    private void sendClosed(int fastId) {
        while (!send(Priority.NORMAL, FrameType.FASTPATH_CLOSED, 0, fastId, 0, 0, 0, 0, EMPTY) && !stopping) {
            Thread.yield();
        }
    }

    /**
     * A call through the Engine on the lane its size allows: the request lane, the transfer lane for what exceeds a
     * request frame, or the critical lane when asked.
     */
    byte[] call(String service, int serviceId, int method, byte[] request, Duration timeout, boolean critical,
                int flags) throws CallFailedException {
        failIfDown(service, serviceId, timeout);
        Priority lane = critical ? Priority.CRITICAL
                : request.length <= requests.lane(Priority.NORMAL).maxPayload() ? Priority.NORMAL : Priority.BULK;
        if (request.length > requests.lane(lane).maxPayload()) {
            throw new CallFailedException(request.length + " bytes do not fit one frame on the " + lane.laneName()
                    + " lane (at most " + requests.lane(lane).maxPayload() + "): lend them in a pool (callPooled)");
        }
        FastPathCaller fast = critical ? null : fastByService.get(serviceId);
        if (fast != null && request.length <= fast.segment.requests().maxPayload()) {
            byte[] reply = callFast(fast, service, method, request, timeout);
            if (reply != null) {
                return reply;
            }
        }
        return exchange(service, serviceId, lane, flags, method, new UnsafeBuffer(request), timeout);
    }

    /**
     * Sends a call through the Engine and waits for its answer. An Engine that held the call (for its provider's
     * next start, or its start on demand) and died had the only other copy: its successor answers ERROR_RESEND, and
     * the call is sent again, once its service is not down, within the same deadline.
     */
    private byte[] exchange(String service, int serviceId, Priority lane, int flags, int method, UnsafeBuffer payload,
                            Duration timeout) throws CallFailedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long correlation = correlations.incrementAndGet();
            CompletableFuture<byte[]> reply = new Resendable();
            pending.put(correlation, reply);
            try {
                if (!send(lane, FrameType.REQUEST, flags, serviceId, method, 0, correlation, deadline, payload)) {
                    throw new CallFailedException("call to " + service + " refused: the " + lane.laneName()
                            + " lane to the Engine is full");
                }
                return await(service, reply, deadline, timeout);
            } catch (Resend lost) {
                awaitUp(serviceId, deadline);
                if (System.nanoTime() - deadline >= 0 || down.containsKey(serviceId)) {
                    String still = down.get(serviceId);
                    throw new CallFailedException(lost.getMessage() + (still == null ? "" : "; not sent again: "
                            + still));
                }
            } finally {
                pending.remove(correlation);
            }
        }
    }

    /** A blocking call's reply: the one kind of call this host sends again itself. */
    private static final class Resendable extends CompletableFuture<byte[]> {
    }

    /** A blocking call's answer was ERROR_RESEND: {@link #exchange} sends it again. */
    private static final class Resend extends RuntimeException {
        Resend(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * An order: sent without waiting. The answer completes the future on the lane thread (so what is chained to it
     * without an executor must be quick); the Engine fails it at its deadline, and so does this host should the
     * Engine not answer at all.
     */
    CompletableFuture<byte[]> callAsync(String service, int serviceId, int method, byte[] request, Duration timeout) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        if (request.length > requests.lane(Priority.NORMAL).maxPayload()) {
            reply.completeExceptionally(new CallFailedException(request.length + " bytes do not fit one frame on the "
                    + "request lane (at most " + requests.lane(Priority.NORMAL).maxPayload() + ")"));
            return reply;
        }
        long correlation = correlations.incrementAndGet();
        pending.put(correlation, reply);
        if (!send(Priority.NORMAL, FrameType.REQUEST, Frame.FLAG_ASYNC, serviceId, method, 0, correlation,
                System.nanoTime() + timeout.toNanos(), new UnsafeBuffer(request))) {
            complete(correlation, null, "order to " + service + " refused: the request lane to the Engine is full");
            return reply;
        }
        CompletableFuture.delayedExecutor(timeout.toMillis() + 100, TimeUnit.MILLISECONDS).execute(() -> complete(
                correlation, null, "order to " + service + " got no answer within " + timeout.toMillis() + " ms"));
        return reply;
    }

    byte[] callPooled(String service, int serviceId, int method, int length,
                      java.util.function.Consumer<MemorySegment> fill, Duration timeout) throws CallFailedException {
        failIfDown(service, serviceId, timeout);
        LenderPool pool = lending.get(serviceId);
        if (pool == null) {
            throw new CallFailedException(id + " has no buffer pool for " + service + " (declare one in the system spec)");
        }
        if (length <= 0 || length > pool.segment().bufferSize()) {
            throw new CallFailedException("a pooled call carries 1 to " + pool.segment().bufferSize() + " bytes, not "
                    + length);
        }
        Integer buffer;
        try {
            buffer = pool.free().poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailedException("pooled call to " + service + " interrupted");
        }
        if (buffer == null) {
            throw new CallFailedException("no free buffer in the pool for " + service + " within " + timeout.toMillis()
                    + " ms: every buffer is lent out");
        }
        try {
            fill.accept(pool.segment().buffer(buffer).asSlice(0, length));
            UnsafeBuffer ref = new UnsafeBuffer(new byte[PoolRef.LENGTH]);
            PoolRef.write(ref, 0, pool.segment().id(), (long) buffer * pool.segment().bufferSize(), length);
            return exchange(service, serviceId, Priority.BULK, Frame.FLAG_POOL, method, ref, timeout);
        } finally {
            // Answered, refused or expired: in each case the Engine has given the buffer back to us.
            pool.free().add(buffer);
        }
    }

    /**
     * Waits for a reply. The one waiting caller that holds the delivery lanes reads them itself — spinning a little,
     * then sleeping on their doorbell — so its reply wakes it directly, not the lane thread first; callers that find
     * the lanes taken park until whoever reads them hands them their reply (with a short timeout to take over).
     */
    private byte[] await(String service, CompletableFuture<byte[]> reply, Duration timeout)
            throws CallFailedException {
        return await(service, reply, System.nanoTime() + timeout.toNanos(), timeout);
    }

    /** @param deadline when the call's {@code timeout} ends ({@link System#nanoTime()}): it may have been sent before */
    private byte[] await(String service, CompletableFuture<byte[]> reply, long deadline, Duration timeout)
            throws CallFailedException {
        long giveUp = deadline + TimeUnit.MILLISECONDS.toNanos(100);
        for (int idle = 0; !reply.isDone() && System.nanoTime() - giveUp < 0; ) {
            if (!deliveryLock.tryLock()) {
                try {
                    reply.get(1, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException | InterruptedException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                continue;
            }
            try {
                idle = pollLocked(idle);
            } finally {
                deliveryLock.unlock();
            }
        }
        try {
            return reply.get(Math.max(0, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Resend lost) {
                throw new Resend(lost.getMessage()); // thrown here, on the caller's thread
            }
            throw new CallFailedException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new CallFailedException("call to " + service + " got no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailedException("call to " + service + " interrupted");
        }
    }

    /** Reads deliveries, the delivery lock held; spins, then sleeps when there were none. The new idle count. */
    private int pollLocked(int idle) {
        if (deliveries.poll(this::onFrame, 64) > 0) {
            return 0;
        }
        if (idle < SPIN_BEFORE_SLEEP) {
            Thread.onSpinWait();
        } else {
            deliveries.await(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return idle + 1;
    }

    /**
     * A call to a service that is down fails at once, so that a dependent of a crashed provider is not held up —
     * except while the caller's own init and start run: at boot its providers may still be coming up, and, as a
     * systemd unit ordered after its dependencies, it waits for SERVICE_UP, within the call's timeout (reading its
     * deliveries itself: start runs on the lane thread). A provider given up on is never waited for.
     */
    private void failIfDown(String service, int serviceId, Duration timeout) throws CallFailedException {
        String why = down.get(serviceId);
        if (why != null && starting && !givenUp.contains(serviceId)) {
            awaitUp(serviceId, System.nanoTime() + timeout.toNanos());
            why = down.get(serviceId);
            if (why != null) {
                throw new CallFailedException("call to " + service + " failed: still down after waiting "
                        + timeout.toMillis() + " ms during " + id + "'s start: " + why);
            }
        }
        if (why != null && pollDeliveries() > 0) {
            // A caller retrying hears the provider is back itself, not only once the lane thread is scheduled.
            why = down.get(serviceId);
        }
        if (why != null) {
            throw new CallFailedException("call to " + service + " failed at once: " + why);
        }
    }

    /** Until the service is no longer down (SERVICE_UP), is given up on, or the deadline; reads deliveries meanwhile. */
    private void awaitUp(int serviceId, long deadline) {
        for (int idle = 0; down.containsKey(serviceId) && !givenUp.contains(serviceId)
                && System.nanoTime() - deadline < 0; ) {
            if (deliveryLock.tryLock()) {
                try {
                    idle = pollLocked(idle);
                } finally {
                    deliveryLock.unlock();
                }
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    private void complete(long correlation, byte[] reply, String error) {
        complete(correlation, reply, error, false);
    }

    /** @param resend the Engine lost its copy of the call: a blocking call is sent again, an order fails */
    private void complete(long correlation, byte[] reply, String error, boolean resend) {
        CompletableFuture<byte[]> future = pending.remove(correlation);
        if (future == null) {
            return; // the caller already gave up
        }
        if (error == null) {
            future.complete(reply);
        } else {
            future.completeExceptionally(resend && future instanceof Resendable ? new Resend(error)
                    : new CallFailedException(error));
        }
    }

    private boolean send(Priority lane, int type, int flags, int target, int method, int status, long correlation,
                         long deadline, UnsafeBuffer payload) {
        synchronized (sendLock) {
            // An abandoned component's threads may live on in a partition host: once the Engine has been told, the
            // lanes are the next incarnation's, and nothing more of the old one may reach them.
            if (gone || abandoned && type != FrameType.UNLOADED) {
                return false;
            }
            boolean sent = requests.lane(lane).offer(type, flags, slot, target, method, status, correlation, deadline,
                    payload, 0, payload.capacity());
            gone = sent && type == FrameType.UNLOADED;
            return sent;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SystemSpec system() {
        return system;
    }

    @Override
    public void provide(String service, ServiceHandler handler) {
        ComponentSpec spec = system.component(id).orElseThrow();
        if (!spec.provides(service)) {
            throw new IllegalArgumentException(id + " does not provide '" + service + "' (its spec provides "
                    + spec.provides() + ")");
        }
        handlers.put(system.serviceId(service), new Handler(handler, false));
    }

    @Override
    public void onEvent(String service, EventHandler handler) {
        ComponentSpec spec = system.component(id).orElseThrow();
        if (!spec.provides(service)) {
            throw new IllegalArgumentException(id + " does not provide '" + service + "', so it receives no events for it");
        }
        eventHandlers.put(system.serviceId(service), handler);
    }

    @Override
    public void provideInline(String service, ServiceHandler handler) {
        provide(service, handler);
        handlers.put(system.serviceId(service), new Handler(handler, true));
    }

    @Override
    public void observe(java.util.function.Consumer<Observation> handler) {
        observer = handler;
    }

    @Override
    public void onServiceState(ServiceStateListener listener) {
        stateListeners.add(listener);
    }

    @Override
    public ServiceClient client(String service) {
        Integer serviceId = grants.get(service);
        if (refusals.containsKey(service)) {
            throw new IllegalArgumentException("the Engine refused " + id + "'s binding to '" + service + "': "
                    + refusals.get(service));
        }
        if (serviceId == null) {
            throw new IllegalArgumentException(id + " was not granted '" + service + "' (grants: " + grants.keySet() + ")");
        }
        return new ServiceClient(this, service, serviceId, versions.get(service));
    }

    @Override
    public ComponentSpec spec() {
        return system.component(id).orElseThrow();
    }

    @Override
    public PrintStream log() {
        return log;
    }

    @Override
    public void exit(String why) {
        log.println(id + ": exits: " + why);
        log.flush();
        if (onExit == null) {
            Runtime.getRuntime().halt(1);
        }
        onExit.accept(why);
        throw new ExitedException(why);
    }

    /** Unwinds the thread that called {@link #exit} in a partition host, whose process goes on. */
    static final class ExitedException extends RuntimeException {
        ExitedException(String why) {
            super(why, null, false, false);
        }
    }
}
