package dev.atomic.policy;

/**
 * An action a policy recommends for a component, how sure it is (0 to 1) and why, in plain words. The Engine's
 * built-in heuristics act on their own findings; a recommendation is advice it may take within its bounds.
 */
public record Recommendation(String component, Action action, double confidence, String reason, String policy) {

    public enum Action {
        /** Nothing to do yet: it behaves unlike itself, look closer. */
        WATCH,
        /** Save its state now, so that a failure loses less. */
        CHECKPOINT,
        /** Start a warm spare now, so that a failure recovers faster. */
        PREWARM_SPARE,
        /** Raise its memory limit, within the tunable's bounds. */
        RAISE_MEMORY_LIMIT,
        /** Restart it before it fails on its own. */
        RESTART,
        /** Hold its traffic to its budget. */
        THROTTLE,
        /** Trust it more: run it in Tier 1 (its kernel's shared host) or give it its fast path. It has behaved. */
        PROMOTE,
        /** Trust it less: move it out of Tier 1 to a sandboxed process of its own, or off its fast path. */
        DEMOTE
    }

    /** The same, as said by {@code name} (the runner stamps it, so a policy cannot speak for another). */
    Recommendation by(String name) {
        return new Recommendation(component, action, confidence, reason, name);
    }
}
