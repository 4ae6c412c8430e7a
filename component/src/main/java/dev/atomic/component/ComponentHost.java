package dev.atomic.component;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneGroup;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.PoolRef;
import dev.atomic.bridge.PoolSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.system.Prctl;
import dev.atomic.system.Proc;
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
 * {@code ComponentHost <segment-path> <component-class> <component-id> <sovereign-pid>}.
 */
public final class ComponentHost implements ComponentContext {
    private static final long WELCOME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SPIN_BEFORE_SLEEP = 200;
    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private final String id;
    private final LaneSegment segment;
    private final LaneGroup requests;
    private final LaneGroup deliveries;
    /** The request rings are single-producer: the lane thread, workers and the component's own threads take turns. */
    private final Object sendLock = new Object();
    private final int slot;
    private final Map<String, Integer> grants = new HashMap<>();
    /** Bindings the Engine refused at start (incompatible versions), with its reason. */
    private final Map<String, String> refusals = new HashMap<>();
    /** Pools this component lends from, by service id, with the buffers it holds right now. */
    private final Map<Integer, LenderPool> lending = new HashMap<>();
    /** Pools this component is lent from, by pool id. */
    private final Map<Integer, PoolSegment> borrowing = new HashMap<>();

    private record LenderPool(PoolSegment segment, java.util.concurrent.BlockingQueue<Integer> free) {
    }
    private final Map<Integer, ServiceHandler> handlers = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final AtomicLong correlations = new AtomicLong();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final SystemSpec system;
    private volatile boolean welcomed;
    private volatile boolean stopping;

    private ComponentHost(String id, LaneSegment segment, SystemSpec system) {
        this.id = id;
        this.segment = segment;
        this.requests = segment.requests();
        this.deliveries = segment.deliveries();
        this.slot = segment.slot();
        this.system = system;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: ComponentHost <segment-path> <component-class> <component-id> <system> <sovereign-pid>");
            System.exit(2);
        }
        // Die with the Sovereign, never outlive it: if it is already gone, stop before touching anything.
        Prctl.setParentDeathSignal(Signals.SIGKILL);
        if (Proc.parentPid() != Long.parseLong(args[4])) {
            System.err.println("the Sovereign (pid " + args[4] + ") is gone; exiting");
            System.exit(3);
        }
        LaneSegment segment = LaneSegment.attach(SharedMemory.open(Path.of(args[0])));
        segment.componentPid(Proc.pid());
        ComponentHost host = new ComponentHost(args[2], segment, SystemSpec.builtIn(args[3]));
        Component component = (Component) Class.forName(args[1]).getDeclaredConstructor().newInstance();
        host.run(component);
    }

    private void run(Component component) throws Exception {
        if (!send(Priority.NORMAL, FrameType.HELLO, 0, 0, 0, segment.generation(), Proc.pid(), 0, EMPTY)) {
            throw new IllegalStateException("lane full before HELLO");
        }
        long giveUp = System.nanoTime() + WELCOME_TIMEOUT_NANOS;
        while (!welcomed) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the Engine did not answer HELLO within 10 s");
            }
            pollOrSleep();
        }
        component.init(this);
        component.start();
        while (!stopping) {
            pollOrSleep();
        }
        component.stop();
        workers.shutdown();
        workers.awaitTermination(1, TimeUnit.SECONDS);
        System.out.println(id + ": stopped");
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** Components spin only briefly and then sleep on the lane's futex: on few cores, long spins starve the Engine. */
    private void pollOrSleep() {
        for (int i = 0; i < SPIN_BEFORE_SLEEP; i++) {
            if (deliveries.poll(this::onFrame, 64) > 0) {
                return;
            }
            Thread.onSpinWait();
        }
        deliveries.await(SLEEP_NANOS);
    }

    private void onFrame(int type, MutableDirectBuffer buffer, int index, int length) {
        switch (type) {
            case FrameType.WELCOME -> onWelcome(buffer, index);
            case FrameType.REQUEST -> onRequest(buffer, index);
            case FrameType.REPLY -> complete(Frame.correlation(buffer, index), Frame.payloadBytes(buffer, index), null);
            case FrameType.ERROR -> complete(Frame.correlation(buffer, index), null, Frame.payloadText(buffer, index));
            case FrameType.STOP -> stopping = true;
            default -> log().println("ignored a frame of unknown type " + type);
        }
    }

    /** WELCOME payload: count, then per granted service: id (-1 if refused), version, name, refusal text. */
    private void onWelcome(DirectBuffer b, int index) {
        int at = index + Frame.HEADER_LENGTH;
        int count = b.getInt(at);
        at += 4;
        for (int i = 0; i < count; i++) {
            int serviceId = b.getInt(at);
            at += 8;
            String name = b.getStringUtf8(at);
            at += 4 + b.getInt(at);
            String refusal = b.getStringUtf8(at);
            at += 4 + b.getInt(at);
            if (serviceId >= 0) {
                grants.put(name, serviceId);
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
            String path = b.getStringUtf8(at);
            at += 4 + b.getInt(at);
            PoolSegment pool = PoolSegment.attach(SharedMemory.open(Path.of(path)));
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
        int serviceId = Frame.target(b, index);
        int method = Frame.method(b, index);
        long correlation = Frame.correlation(b, index);
        ServiceHandler handler = handlers.get(serviceId);
        if ((Frame.flags(b, index) & Frame.FLAG_POOL) != 0) {
            int at = index + Frame.HEADER_LENGTH;
            PoolSegment pool = borrowing.get(PoolRef.pool(b, at));
            MemorySegment lent = pool == null ? null : pool.slice(PoolRef.offset(b, at), PoolRef.length(b, at));
            workers.execute(() -> answer(handler, requester, method, correlation, null, lent));
        } else {
            byte[] request = Frame.payloadBytes(b, index);
            workers.execute(() -> answer(handler, requester, method, correlation, request, null));
        }
    }

    /** Exactly one of {@code request} and {@code lent} is set. */
    private void answer(ServiceHandler handler, int requester, int method, long correlation, byte[] request,
                        MemorySegment lent) {
        byte[] reply;
        int type = FrameType.REPLY;
        try {
            if (handler == null) {
                throw new IllegalStateException(id + " provides no such service");
            }
            if (request == null && lent == null) {
                throw new IllegalStateException(id + " was lent a buffer of a pool it does not share");
            }
            reply = request != null ? handler.handle(method, request) : handler.handleInPlace(method, lent);
        } catch (Exception e) {
            type = FrameType.ERROR;
            reply = Frame.utf8(id + " failed to handle method " + method + ": " + e);
        }
        offerBlocking(type, requester, method, correlation, 0, reply);
    }

    byte[] call(String service, int serviceId, int method, byte[] request, Duration timeout) throws CallFailedException {
        long correlation = correlations.incrementAndGet();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        pending.put(correlation, reply);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!send(Priority.NORMAL, FrameType.REQUEST, 0, serviceId, method, 0, correlation, deadline,
                    new UnsafeBuffer(request))) {
                throw new CallFailedException("call to " + service + " refused: the lane to the Engine is full");
            }
            return await(service, reply, timeout);
        } finally {
            pending.remove(correlation);
        }
    }

    byte[] callPooled(String service, int serviceId, int method, int length,
                      java.util.function.Consumer<MemorySegment> fill, Duration timeout) throws CallFailedException {
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
        long correlation = correlations.incrementAndGet();
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        pending.put(correlation, reply);
        try {
            fill.accept(pool.segment().buffer(buffer).asSlice(0, length));
            UnsafeBuffer ref = new UnsafeBuffer(new byte[PoolRef.LENGTH]);
            PoolRef.write(ref, 0, pool.segment().id(), (long) buffer * pool.segment().bufferSize(), length);
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!send(Priority.BULK, FrameType.REQUEST, Frame.FLAG_POOL, serviceId, method, 0, correlation, deadline,
                    ref)) {
                throw new CallFailedException("call to " + service + " refused: the transfer lane is full");
            }
            return await(service, reply, timeout);
        } finally {
            pending.remove(correlation);
            // Answered, refused or expired: in each case the Engine has given the buffer back to us.
            pool.free().add(buffer);
        }
    }

    private static byte[] await(String service, CompletableFuture<byte[]> reply, Duration timeout)
            throws CallFailedException {
        try {
            return reply.get(timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new CallFailedException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new CallFailedException("call to " + service + " got no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailedException("call to " + service + " interrupted");
        }
    }

    private void complete(long correlation, byte[] reply, String error) {
        CompletableFuture<byte[]> future = pending.remove(correlation);
        if (future == null) {
            return; // the caller already gave up
        }
        if (error == null) {
            future.complete(reply);
        } else {
            future.completeExceptionally(new CallFailedException(error));
        }
    }

    private boolean send(Priority lane, int type, int flags, int target, int method, int status, long correlation,
                         long deadline, UnsafeBuffer payload) {
        synchronized (sendLock) {
            return requests.lane(lane).offer(type, flags, slot, target, method, status, correlation, deadline, payload,
                    0, payload.capacity());
        }
    }

    /** Replies must not be dropped: wait (briefly, politely) for room in the lane. */
    private void offerBlocking(int type, int target, int method, long correlation, int status, byte[] payload) {
        UnsafeBuffer buffer = new UnsafeBuffer(payload);
        while (!send(Priority.NORMAL, type, 0, target, method, status, correlation, 0, buffer)) {
            if (stopping) {
                return;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void provide(String service, ServiceHandler handler) {
        ComponentSpec spec = system.component(id).orElseThrow();
        if (!spec.provides(service)) {
            throw new IllegalArgumentException(id + " does not provide '" + service + "' (its spec provides "
                    + spec.provides() + ")");
        }
        handlers.put(system.serviceId(service), handler);
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
        return new ServiceClient(this, service, serviceId);
    }

    @Override
    public PrintStream log() {
        return System.out;
    }
}
