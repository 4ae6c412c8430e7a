package dev.atomic.policy.traces;

/** What a generated trace shows: a healthy component, a noisy but healthy one, or one of four faults. */
public enum Scenario {
    /** Steady, a little noise. Never fails. */
    HEALTHY(false),
    /** Bursts of traffic and errors, latency spikes, a collector's sawtooth in memory. Never fails. */
    NOISY(false),
    /** Memory grows at a steady slope from the onset until its limit: killed there (MEMORY_LIMIT). */
    LEAK(true),
    /** Progress slows (sometimes not), then stops: the failure is the moment it stops answering. */
    HANG(true),
    /** Traffic ramps up (sometimes at once) until over its rate budget: the failure is the first second over. */
    STORM(true),
    /** Errors rise (sometimes not), then it crashes, restarts, and crashes again a few seconds later. */
    CRASH_LOOP(true);

    public final boolean fails;

    Scenario(boolean fails) {
        this.fails = fails;
    }
}
