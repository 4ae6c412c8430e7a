package dev.atomic.component;

import dev.atomic.bridge.FastPathSegment;

import java.util.HashSet;
import java.util.Set;

/**
 * The caller's end of a fast path: while open, calls to its service go straight into the ring to the provider, and
 * the calling thread reads its own reply. When revoked it takes no new calls; once the calls under way are over it
 * says so (exactly once) and the host's calls go through the Engine again.
 */
final class FastPathCaller {
    final int id;
    final int serviceId;
    final FastPathSegment segment;
    /** Serialises writers of the request ring, and separately readers of the reply ring. */
    final Object writeLock = new Object();
    final Object readLock = new Object();
    private final Set<Long> underWay = new HashSet<>();
    private boolean open = true;
    private boolean closedSent;

    FastPathCaller(int id, int serviceId, FastPathSegment segment) {
        this.id = id;
        this.serviceId = serviceId;
        this.segment = segment;
    }

    /** Registers a call; false when the path is revoked and the call must go through the Engine. */
    synchronized boolean enter(long correlation) {
        if (!open) {
            return false;
        }
        underWay.add(correlation);
        return true;
    }

    /** The call is over; true when this was the last one after a revocation: the host must send FASTPATH_CLOSED. */
    synchronized boolean exit(long correlation) {
        underWay.remove(correlation);
        return closeNow();
    }

    /**
     * Revoked: no new calls. Returns the calls to fail at once (all of them when the provider died; none otherwise,
     * since the provider will still answer them), and whether FASTPATH_CLOSED is due now.
     */
    synchronized Set<Long> revoke(boolean providerDied) {
        open = false;
        return providerDied ? Set.copyOf(underWay) : Set.of();
    }

    synchronized boolean closeNow() {
        if (!open && underWay.isEmpty() && !closedSent) {
            closedSent = true;
            return true;
        }
        return false;
    }
}
