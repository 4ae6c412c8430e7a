package dev.atomic.policy;

/**
 * A policy: it observes, then decides. It is advisory: what it decides is checked before anything is done with it,
 * and a policy that throws, stalls or proposes something out of bounds is ignored for that round and reported
 * ({@link PolicyRunner}). Policies run on a thread of their own, never the Engine's duty thread; one instance is
 * called by one thread at a time.
 */
public interface Policy {
    /** A short name, used in the tunables' log and in reports: {@code anomaly}, {@code failure}. */
    String name();

    /** Reads one new observation (in time order per component). */
    void observe(Observation o);

    /** Decides, from what it observed up to {@code nowMillis}: values for tunables, actions to recommend. */
    Decision decide(long nowMillis);
}
