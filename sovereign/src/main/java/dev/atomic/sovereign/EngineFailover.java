package dev.atomic.sovereign;

/**
 * How the Sovereign replaces an Engine that dies or stalls.
 *
 * @param restartsPerMinute Engine deaths tolerated within a minute; one more and Atomic stops, since an Engine that
 *                          keeps dying is not something a restart fixes
 * @param warmStandby       keep a second Engine started, attached and idle, to promote at once; false restarts a
 *                          cold Engine instead (less memory, a JVM start's worth of failover)
 */
public record EngineFailover(int restartsPerMinute, boolean warmStandby) {
    public static final int DEFAULT_RESTARTS = 3;
    public static final EngineFailover DEFAULT = new EngineFailover(DEFAULT_RESTARTS, true);

    public EngineFailover {
        if (restartsPerMinute < 0) {
            throw new IllegalArgumentException("Engine restarts per minute must be 0 or more, not " + restartsPerMinute);
        }
    }
}
