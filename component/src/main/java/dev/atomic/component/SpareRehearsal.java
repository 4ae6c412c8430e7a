package dev.atomic.component;

import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.system.Descriptors;
import dev.atomic.system.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What makes a warm spare warm rather than merely started: before it waits for its order, it rehearses becoming its
 * component, again and again, until the JIT has compiled the host's own code for it — the pid read, HELLO and
 * WELCOME, the component's init and start as the host runs them, requests read, dispatched (inline and to a worker)
 * and answered, STOP — as the standby Engine rehearses its takeover ({@code Rehearsal} in the engine). Its Engine is
 * this class, on a lane segment in memory no other process maps; its component is a stand-in that provides the same
 * services with handlers that echo, so none of the component's own code runs and none of its state is touched; what
 * the rehearsing host says goes nowhere. The real start then runs compiled code, every class loaded and every call
 * site linked; only the component's own init and start run for the first time.
 */
final class SpareRehearsal {
    /** Starts, each a new host: the first loads, links and initialises; the others give the JIT its profile. */
    static final int ROUNDS = 25;
    /**
     * Starts in the AOT cache's training run: what it keeps is the classes loaded and linked (the first start), and
     * a first profile; the JIT's work is each spare's own.
     */
    static final int TRAINING_ROUNDS = 2;
    /** Requests to each service per start: over all rounds, enough for the JIT's last tier (5000 calls). */
    static final int REQUESTS = 200;
    /** Requests to each service sent at once: a batch fits the lanes whatever the number of services. */
    private static final int BATCH = 20;
    private static final long STEP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A pid no process of the rehearsal has: what the host reads in place of the one the Sovereign writes. */
    private static final long REHEARSAL_PID = Long.MAX_VALUE;
    private static final int WELCOME_NOTHING_GRANTED = 8;
    private static final long AWAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SystemSpec system;
    private final String id;
    private final List<Integer> services;
    private final boolean checkpointed;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final UnsafeBuffer welcome = new UnsafeBuffer(new byte[WELCOME_NOTHING_GRANTED]);
    private final PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
    private boolean hello;
    private boolean ready;
    private int answered;
    /** What ended the rehearsing host, when it failed. */
    private volatile Exception failure;

    private SpareRehearsal(SystemSpec system, String id) {
        ComponentSpec spec = system.component(id).orElseThrow();
        this.system = system;
        this.id = id;
        this.services = spec.provides().stream().map(s -> system.serviceId(s.name())).toList();
        this.checkpointed = spec.state() == StateKind.CHECKPOINTED;
    }

    /**
     * Rehearses {@code id}'s start in {@code system}, {@code rounds} times; returns how many requests the rehearsal's
     * hosts answered.
     */
    static int run(SystemSpec system, String id, int rounds) throws InterruptedException {
        return new SpareRehearsal(system, id).rehearse(rounds);
    }

    private int rehearse(int rounds) throws InterruptedException {
        LaneSegment.Capacities capacities = LaneSegment.Capacities.uniform(64 * 1024);
        try (LaneSegment segment = LaneSegment.format(SharedMemory.create("atomic-spare-rehearsal",
                LaneSegment.sizeFor(capacities)), 0, capacities)) {
            for (int round = 0; round < rounds; round++) {
                ComponentHost host = ComponentHost.rehearsing(id, segment, system, silent);
                StandIn standIn = new StandIn(round % 2 == 0);
                // A descriptor in the seccomp listener's place, handed over and closed as a listener is.
                int listener = Descriptors.memfd("atomic-spare-rehearsal-listener");
                segment.componentPid(REHEARSAL_PID); // as the Sovereign writes it before the order
                Thread lane = Thread.ofPlatform().daemon().name("spare-rehearsal").start(() -> {
                    try {
                        host.serve(listener, () -> standIn);
                    } catch (Exception e) {
                        failure = e;
                    }
                });
                start(segment, round);
                lane.join(TimeUnit.NANOSECONDS.toMillis(STEP_TIMEOUT_NANOS));
                if (lane.isAlive() || failure != null) {
                    throw new IllegalStateException("the rehearsing host " + (failure != null ? "failed: " + failure
                            : "did not stop within 10 s"), failure);
                }
                segment.resetForNextGeneration();
            }
        }
        return answered;
    }

    /** The Engine's part in one start: WELCOME, the traffic, STOP. */
    private void start(LaneSegment segment, int round) {
        hello = false;
        ready = false;
        read(segment, () -> hello || failure != null, "HELLO");
        segment.seccompListenerTaken();
        segment.deliveries().lane(Priority.NORMAL).offer(FrameType.WELCOME, -1, 0, 0, 0, 0, 0, welcome, 0,
                welcome.capacity());
        if (checkpointed) {
            segment.deliveries().lane(Priority.BULK).offer(FrameType.RESTORE, -1, 0, 0, 0, 0, 0);
        }
        read(segment, () -> ready || failure != null, "COMPONENT_READY");
        for (int i = 0; i < REQUESTS; i += BATCH) {
            int expected = answered + BATCH * services.size();
            for (int j = i; j < i + BATCH; j++) {
                for (int service : services) {
                    segment.deliveries().lane(Priority.NORMAL).offer(FrameType.REQUEST, 0, 1, service, 1, 0,
                            (long) round * REQUESTS + j, 0, payload, 0, payload.capacity());
                }
            }
            read(segment, () -> answered >= expected, "its answers");
        }
        segment.deliveries().lane(Priority.CRITICAL).offer(FrameType.STOP, -1, 0, 0, 0, 0, 0);
    }

    /** Reads what the host sends until {@code done}. */
    private void read(LaneSegment segment, BooleanSupplier done, String what) {
        long giveUp = System.nanoTime() + STEP_TIMEOUT_NANOS;
        while (!done.getAsBoolean()) {
            segment.requests().poll((type, b, index, length) -> {
                hello |= type == FrameType.HELLO;
                ready |= type == FrameType.COMPONENT_READY;
                answered += type == FrameType.REPLY ? 1 : 0;
            }, 64);
            if (System.nanoTime() - giveUp > 0 || failure != null) {
                throw new IllegalStateException("the rehearsing host " + (failure != null ? "failed" : "sent no "
                        + what + " within 10 s"), failure);
            }
            segment.requests().await(AWAIT_NANOS);
        }
    }

    /** The component's stand-in: its services, each answered with the request itself, inline or by a worker. */
    private record StandIn(boolean inline) implements Component {
        @Override
        public void init(ComponentContext context) {
            ServiceHandler echo = (method, request) -> request;
            for (ServiceRef service : context.spec().provides()) {
                if (inline) {
                    context.provideInline(service.name(), echo);
                } else {
                    context.provide(service.name(), echo);
                }
            }
        }
    }
}
