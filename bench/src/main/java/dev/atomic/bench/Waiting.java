package dev.atomic.bench;

import dev.atomic.bridge.Lane;

import java.util.concurrent.TimeUnit;

/** How an end of the bare ring waits for a frame that is not there yet. */
enum Waiting {
    /**
     * Atomic's component strategy: a short spin, then sleep on the lane's futex doorbell. On a host with few cores
     * a long spin steals the CPU the other side needs (see ARCHITECTURE.md, "Measured on a 2-core host").
     */
    SPIN_THEN_SLEEP,
    /** Both sides burn a core each: the floor of what shared memory can do, never what a component does. */
    SPIN;

    private static final int SPINS_BEFORE_SLEEP = 200;
    // Only bounds a sleep in case the peer died: a frame rings the doorbell and wakes the sleeper at once.
    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Called after each empty poll of {@code lane}; returns the new count of empty polls. */
    int idle(Lane lane, int emptyPolls) {
        if (this == SPIN || emptyPolls < SPINS_BEFORE_SLEEP) {
            Thread.onSpinWait();
            return emptyPolls + 1;
        }
        lane.await(SLEEP_NANOS);
        return 0;
    }
}
