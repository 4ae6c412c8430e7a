package dev.atomic.policy;

/** A policy's misbehaviour, reported: its round was ignored (or one of its proposals, for a bad proposal). */
public record PolicyFault(long timeMillis, String policy, Kind kind, String detail) {
    public enum Kind {
        /** observe or decide threw. */
        THREW,
        /** observe and decide did not return within the round's time bound; skipped until they do. */
        STALLED,
        /** a value outside its tunable's bounds, or not a number. */
        OUT_OF_BOUNDS,
        /** a tunable that does not exist, or a recommendation for no component observed, or a confidence outside [0, 1]. */
        UNKNOWN
    }
}
