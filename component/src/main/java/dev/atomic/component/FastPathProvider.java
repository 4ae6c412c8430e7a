package dev.atomic.component;

import dev.atomic.bridge.FastPathSegment;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The provider's end of a fast path: the lane thread reads its request ring besides the delivery lanes, and
 * answers on its reply ring. The grant the Engine audited travels with the opening, and is enforced here, since
 * the Engine no longer sees these frames. When revoked it drains the ring, answers all, then reports closed.
 */
final class FastPathProvider {
    final int id;
    final int serviceId;
    final FastPathSegment segment;
    final Object replyLock = new Object();
    final AtomicInteger underWay = new AtomicInteger();
    private final Set<Integer> methods;
    volatile boolean revoked;
    private boolean closedSent;

    FastPathProvider(int id, int serviceId, Set<Integer> methods, FastPathSegment segment) {
        this.id = id;
        this.serviceId = serviceId;
        this.methods = Set.copyOf(methods);
        this.segment = segment;
    }

    boolean allows(int method) {
        return methods.isEmpty() || methods.contains(method);
    }

    /** True once, when a revoked path is drained and every request it carried is answered. */
    boolean closeNow() {
        if (revoked && !closedSent && underWay.get() == 0 && segment.requests().isEmpty()) {
            closedSent = true;
            return true;
        }
        return false;
    }
}
