package dev.atomic.component;

import java.io.IOException;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.LaneGroup;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.bridge.Priority;
import dev.atomic.system.SharedMemory;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A warm spare's pause: a component host started ahead of need, with its JVM up and its component's class loaded,
 * that waits — blocked reading its standard input, at zero CPU — until the Sovereign makes it the component (one
 * byte: the pid it is known by and the generation are in its lane segment by then) or drops it (end of input).
 * Nothing of the component runs before that: its class is loaded, not initialised.
 */
public final class SpareWait {
    private static final int WARM_UP_FRAMES = 2000;
    /** Set, to {@code 1}, in a spare's environment. */
    public static final String ENV = "ATOMIC_SPARE";

    private SpareWait() {
    }

    /**
     * What every component host's start needs from the JDK and the bridge, done ahead while nothing waits for it, on
     * things of its own: the first dynamic proxy (typed stubs are proxies), virtual threads and futures (its workers
     * and calls), and frames through a private lane segment, with its doorbells rung and waited on (the native
     * calls are linked on first use). In the interpreter, that is tens of milliseconds a restart no longer pays. Then
     * it rehearses becoming component {@code id} ({@link SpareRehearsal}) {@code rounds} times: a spare until the JIT
     * has compiled the host's start.
     */
    static void warmUp(SystemSpec system, String id, int rounds) throws Exception {
        Runnable stub = (Runnable) java.lang.reflect.Proxy.newProxyInstance(SpareWait.class.getClassLoader(),
                new Class<?>[]{Runnable.class}, (proxy, method, args) -> null);
        java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            stub.run();
            done.complete(true);
        }).join();
        done.get();
        try (LaneSegment lanes = LaneSegment.format(SharedMemory.create("atomic-spare-warm-up",
                LaneSegment.sizeFor(LaneSegment.Capacities.uniform(4096))), 0, LaneSegment.Capacities.uniform(4096))) {
            UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < WARM_UP_FRAMES; i++) {
                for (LaneGroup group : new LaneGroup[]{lanes.requests(), lanes.deliveries()}) {
                    for (Priority p : Priority.values()) {
                        group.lane(p).offer(FrameType.REQUEST, 0, 0, 0, 1, 0, i, 0, payload, 0, payload.capacity());
                    }
                    group.poll((type, buffer, index, length) -> Frame.malformed(buffer, index, length), 8);
                }
            }
            lanes.deliveries().await(1);
            lanes.requests().await(1);
        }
        SpareRehearsal.run(system, id, rounds);
    }

    /**
     * What makes the component once the handshake is done. Its constructor is looked up now and, in a spare, its
     * member classes (a handler, say) are loaded — none of its code runs, nothing is initialised — so that a spare's
     * order waits for neither (a class read from its jar costs a restart milliseconds).
     */
    static java.util.concurrent.Callable<Component> maker(Class<?> main, boolean spare) {
        java.lang.reflect.Constructor<?> constructor;
        try {
            constructor = main.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            return () -> (Component) main.getDeclaredConstructor().newInstance(); // it fails as it always did
        }
        if (spare) {
            try {
                main.getDeclaredClasses();
            } catch (LinkageError e) {
                // one that cannot be loaded fails when the component uses it, as it would have
            }
        }
        return () -> (Component) constructor.newInstance();
    }

    static boolean isSpare() {
        return "1".equals(System.getenv(ENV));
    }

    /** Returns once ordered to become the component; exits when the Sovereign drops the spare. */
    static void awaitOrder() throws IOException {
        if (System.in.read() < 0) {
            System.out.println("spare: dropped by the Sovereign before it was needed");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
