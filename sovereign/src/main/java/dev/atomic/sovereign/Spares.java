package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.RestartPolicy;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Warm spares: for each component whose manifest asks for one ({@code restart.spare}), a host process started ahead
 * of need, in the component's sandbox and cgroup, its JVM up and the component's class loaded, blocked on its
 * standard input at zero CPU. When the Engine orders the component started again, the spare becomes it (a byte on
 * that input) and a new spare is started in the background. Spares are started once the boot is done, one at a
 * time, so they never slow it (the AOT caches are made after them, on the same thread); where there is none (first start, a spare that died, too little memory) a component
 * starts cold.
 */
final class Spares implements AutoCloseable {
    /** Below this much available memory no spare is started: it would take memory the running system may need. */
    static final long MIN_AVAILABLE = 256L << 20;
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long LOOK_EVERY_MILLIS = 10;

    /** What the Sovereign does for spares: start one, and tell. */
    interface Host {

        /** Starts a spare host for {@code slot} in its sandbox and cgroup, as a child the Sovereign will stop. */
        Spare launch(int slot) throws IOException;

        /** Whether the component of {@code slot} has finished its start (init and start). */
        boolean ready(int slot);

        /** The process ended while it was still a spare: no longer the Sovereign's to stop. */
        void forget(Process process);

        void say(String line);

        /** The boot report's line for the spares started after boot. */
        void stage(String text, long nanos);
    }

    /**
     * A spare host.
     *
     * @param release what it runs: a spare of another release is no spare
     * @param pid     the component's pid, as a started component's
     */
    record Spare(int slot, VaultBoot.Booted release, Process process, long pid) {
        /**
         * Makes it the component. One that cannot be told is killed: the Engine then sees a death, as of any
         * component, and starts it again.
         */
        void order() {
            try {
                OutputStream in = process.getOutputStream();
                in.write(1);
                in.flush();
            } catch (IOException gone) {
                process.destroyForcibly();
            }
        }
    }

    private final List<ComponentSpec> components;
    private final Host host;
    private final Map<Integer, Spare> waiting = new ConcurrentHashMap<>();
    private final ExecutorService starter = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("spares").unstarted(r));
    private volatile boolean armed;
    private final Object lock = new Object();
    /** Atomic stops (guarded by {@link #lock}). */
    private volatile boolean closed;

    Spares(List<ComponentSpec> components, Host host) {
        this.components = List.copyOf(components);
        this.host = host;
    }

    /** Whether {@code c} gets a spare: it asks for one, and would be started again. */
    static boolean wanted(ComponentSpec c) {
        return c.restart().spare() && c.restart().mode() != RestartPolicy.Mode.NEVER;
    }

    /** The boot is done: starts a spare for each component that asks for one, then says what they cost. */
    void arm() {
        if (armed) {
            return;
        }
        armed = true;
        starter.execute(() -> {
            long start = System.nanoTime();
            List<String> parts = new ArrayList<>();
            List<String> without = new ArrayList<>();
            for (int slot = 0; slot < components.size(); slot++) {
                if (wanted(components.get(slot))) {
                    parts.add(components.get(slot).id() + " " + startOne(slot));
                } else {
                    without.add(components.get(slot).id());
                }
            }
            host.stage((parts.isEmpty() ? "no warm spares" : "warm spares: " + String.join("; ", parts))
                    + (without.isEmpty() ? "" : "; none for " + String.join(", ", without)
                    + " (restart.spare is off in its manifest)"), System.nanoTime() - start);
        });
    }

    /** Runs {@code work} on the spares' thread once the spares asked for so far are started: never beside them. */
    void then(Runnable work) {
        starter.execute(work);
    }

    /**
     * The spare of {@code slot}, now no longer a spare, when there is one of {@code release}; null for a cold start.
     * One of an older release (an update switched the component's image) is stopped.
     */
    Spare take(int slot, VaultBoot.Booted release) {
        Spare s = waiting.remove(slot);
        if (s == null || s.release() == release && s.process().isAlive()) {
            return s;
        }
        stop(s);
        return null;
    }

    /** The component of {@code slot} was started: a spare is made ready for its next start. */
    void replenish(int slot) {
        if (armed && wanted(components.get(slot)) && !waiting.containsKey(slot)) {
            starter.execute(() -> {
                // Not while the spare just taken still starts: on few CPUs a JVM starting beside it slows it down.
                long giveUp = System.nanoTime() + READY_TIMEOUT_NANOS;
                while (!host.ready(slot) && !closed && System.nanoTime() - giveUp < 0) {
                    if (!pause()) {
                        return;
                    }
                }
                String what = startOne(slot);
                host.say("a warm spare for " + components.get(slot).id() + " " + what);
            });
        }
    }

    /**
     * A spare for {@code slot} now, whether or not its manifest asks for one: the Engine predicts its failure. Made on
     * the spares' thread like any other; one the manifest does not ask for is not replaced once taken.
     *
     * @param answer whether a spare now waits for its order, and how that went
     */
    void prewarm(int slot, java.util.function.BiConsumer<Boolean, String> answer) {
        starter.execute(() -> {
            String what = startOne(slot);
            Spare spare = waiting.get(slot);
            answer.accept(spare != null && SpareProbe.waiting(spare.pid()), what);
        });
    }

    /** Starts a spare and waits until it waits for its order; says how that went. */
    private String startOne(int slot) {
        if (waiting.containsKey(slot)) {
            return "is ready (pid " + waiting.get(slot).pid() + ")";
        }
        if (closed) {
            return "not started: Atomic stops";
        }
        long available = SpareProbe.availableBytes().orElse(Long.MAX_VALUE);
        if (available < MIN_AVAILABLE) {
            return "not started: only " + (available >> 20) + " MiB of memory available (a spare needs "
                    + (MIN_AVAILABLE >> 20) + ")";
        }
        long start = System.nanoTime();
        Spare spare;
        try {
            spare = host.launch(slot);
        } catch (IOException | RuntimeException e) {
            return "could not be started: " + e.getMessage();
        }
        synchronized (lock) {
            if (closed) {
                stop(spare);
                return "not kept: Atomic stops";
            }
            waiting.put(slot, spare);
        }
        spare.process().onExit().thenRun(() -> {
            if (waiting.remove(slot, spare)) {
                host.forget(spare.process());
                if (!closed) {
                    host.say("the warm spare for " + components.get(slot).id() + " (pid " + spare.pid() + ") ended "
                            + "with status " + spare.process().exitValue() + " before it was needed; its next start "
                            + "is cold");
                }
            }
        });
        long giveUp = start + READY_TIMEOUT_NANOS;
        while (!SpareProbe.waiting(spare.pid())) {
            if (!spare.process().isAlive() || waiting.get(slot) != spare || closed) {
                return spare.process().isAlive() ? "was taken before it was ready (pid " + spare.pid() + ")"
                        : "died before it was ready (pid " + spare.pid() + ")";
            }
            if (System.nanoTime() - giveUp > 0) {
                return "is started (pid " + spare.pid() + ") but was not seen waiting within 60 s";
            }
            if (!pause()) {
                return "interrupted";
            }
        }
        return "is ready (pid " + spare.pid() + ", " + SpareProbe.rssBytes(spare.pid()).map(b -> (b >> 20) + " MiB RSS")
                .orElse("RSS unknown") + ", up in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                + " ms)";
    }

    /** False when interrupted: Atomic stops. */
    private static boolean pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(LOOK_EVERY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * No spare is started from now on, and those waiting are stopped: their JVMs themselves, which bubblewrap then
     * reaps before it exits. The spares' thread lives on (idle, a daemon) until the Sovereign exits: a process's
     * parent-death signal follows the thread that started it, so bubblewrap would die with that thread — taking with
     * it, at once, a component that was a spare before the Engine could stop it in order.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        List.copyOf(waiting.values()).forEach(Spares::stop);
    }

    /** Kills a spare's JVM and waits for bubblewrap to reap it (killed first, it would leave a zombie behind). */
    private static void stop(Spare s) {
        ProcessHandle.of(s.pid()).ifPresent(ProcessHandle::destroyForcibly);
        try {
            if (!s.process().waitFor(2, TimeUnit.SECONDS)) {
                s.process().destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
