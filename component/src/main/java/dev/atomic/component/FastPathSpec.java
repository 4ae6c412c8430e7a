package dev.atomic.component;

/**
 * A binding the policy allows onto a fast path: once both ends are up, the Engine audits the binding and hands
 * them a direct ring pair, then stays out of the data path.
 *
 * @param churnMillis revoke and re-open the fast path every this many milliseconds (0: never) — a policy knob
 *                    for proving that revocation loses nothing
 */
public record FastPathSpec(String caller, String service, long churnMillis) {
    public FastPathSpec {
        if (churnMillis < 0) {
            throw new IllegalArgumentException("churn must be 0 (never) or a positive number of milliseconds");
        }
    }
}
