package dev.atomic.engine;

import dev.atomic.bridge.Doorbell;
import dev.atomic.system.FutexSet;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How the Engine waits for work, chosen from the Auditor's profile. On a CPU reserved for it, it spins: nobody
 * else needs that CPU, and a spinning Engine answers in nanoseconds. In shared mode it spins briefly, yields, then
 * sleeps on every producer's doorbell at once (futex_waitv), so a CPU shared with components is given back.
 * <p>
 * Until the boot's components have all started it sleeps as soon as a cycle finds nothing: no reply is
 * latency-critical yet, and every cycle it spins is taken from the component JVMs starting on the same CPUs.
 */
final class EngineIdle implements AutoCloseable {
    private static final int SPINS = 200;
    private static final int YIELDS = 20;
    /** The longest sleep: the Engine still expires deadlines and heartbeats this often when idle. */
    static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final boolean spinOnly;
    private final List<Doorbell> bells;
    private final BooleanSupplier hasWork;
    /** When a held event's window ends (Long.MAX_VALUE: none held): no sleep lasts past it. */
    private final LongSupplier dueAt;
    /** The host locks' {@code addTo}, made once: a sleep allocates nothing. */
    private final java.util.function.Consumer<FutexSet> addLocks;
    private final FutexSet set;
    private int idleRounds;
    private boolean booting = true;

    /**
     * @param bells the doorbells of every lane the Engine consumes, and its own wake-up bell
     * @param locks the host locks it also sleeps on, where the kernel's limit leaves room (the others are read each
     *              cycle, so at worst a sleep's length late)
     * @param dueAt when the first event the Engine holds for coalescing is due ({@link Long#MAX_VALUE}: none)
     */
    EngineIdle(boolean spinOnly, List<Doorbell> bells, HostLocks locks, BooleanSupplier hasWork, LongSupplier dueAt) {
        this.spinOnly = spinOnly;
        this.bells = bells;
        this.hasWork = hasWork;
        this.addLocks = locks::addTo;
        this.dueAt = dueAt;
        this.set = !spinOnly && FutexSet.supported() && bells.size() <= FutexSet.MAX
                ? new FutexSet(Math.min(FutexSet.MAX, bells.size() + locks.capacity())) : null;
    }

    /** Once the boot's components have started (or on a takeover): from then on it spins and yields before it sleeps. */
    void started() {
        booting = false;
    }

    String describe() {
        if (spinOnly) {
            return "busy-spin on its reserved CPU";
        }
        return (set != null ? "spin, yield, then sleep on " + bells.size()
                + " doorbells and the host locks (futex_waitv)"
                : "spin, yield, then park at most 1 ms (no futex_waitv on this kernel)")
                + "; while the components start, no spin and no yield";
    }

    void idle(int work) {
        if (work > 0) {
            idleRounds = 0;
            return;
        }
        idleRounds++;
        if (spinOnly || !booting && idleRounds < SPINS) {
            Thread.onSpinWait();
        } else if (!booting && idleRounds < SPINS + YIELDS) {
            Thread.yield();
        } else {
            long due = dueAt.getAsLong();
            long limit = set == null ? TimeUnit.MILLISECONDS.toNanos(1) : MAX_SLEEP_NANOS;
            long sleep = due == Long.MAX_VALUE ? limit : Math.min(limit, due - System.nanoTime());
            if (sleep <= 0) {
                return; // a held event is due: the next cycle delivers it
            }
            if (set == null) {
                LockSupport.parkNanos(sleep);
            } else {
                Doorbell.awaitAny(set, bells, addLocks, sleep, hasWork);
            }
        }
    }

    @Override
    public void close() {
        if (set != null) {
            set.close();
        }
    }
}
