package dev.atomic.engine;

import dev.atomic.bridge.Doorbell;
import dev.atomic.system.FutexSet;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How the Engine waits for work, chosen from the Auditor's profile. On a CPU reserved for it, it spins: nobody
 * else needs that CPU, and a spinning Engine answers in nanoseconds. In shared mode it spins briefly, yields, then
 * sleeps on every producer's doorbell at once (futex_waitv), so a CPU shared with components is given back.
 */
final class EngineIdle implements AutoCloseable {
    private static final int SPINS = 200;
    private static final int YIELDS = 20;
    /** The longest sleep: the Engine still expires deadlines and heartbeats this often when idle. */
    static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final boolean spinOnly;
    private final List<Doorbell> bells;
    private final BooleanSupplier hasWork;
    private final FutexSet set;
    private int idleRounds;

    /** @param bells the doorbells of every lane the Engine consumes, and its own wake-up bell */
    EngineIdle(boolean spinOnly, List<Doorbell> bells, BooleanSupplier hasWork) {
        this.spinOnly = spinOnly;
        this.bells = bells;
        this.hasWork = hasWork;
        this.set = !spinOnly && FutexSet.supported() && bells.size() <= FutexSet.MAX ? new FutexSet(bells.size()) : null;
    }

    String describe() {
        if (spinOnly) {
            return "busy-spin on its reserved CPU";
        }
        return set != null ? "spin, yield, then sleep on " + bells.size() + " doorbells (futex_waitv)"
                : "spin, yield, then park at most 1 ms (no futex_waitv on this kernel)";
    }

    void idle(int work) {
        if (work > 0) {
            idleRounds = 0;
            return;
        }
        idleRounds++;
        if (spinOnly || idleRounds < SPINS) {
            Thread.onSpinWait();
        } else if (idleRounds < SPINS + YIELDS) {
            Thread.yield();
        } else if (set == null) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        } else {
            sleep();
        }
    }

    private void sleep() {
        Doorbell.awaitAny(set, bells, MAX_SLEEP_NANOS, hasWork);
    }

    @Override
    public void close() {
        if (set != null) {
            set.close();
        }
    }
}
