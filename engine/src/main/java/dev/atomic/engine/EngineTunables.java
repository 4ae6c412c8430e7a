package dev.atomic.engine;

import dev.atomic.policy.Tunable;
import dev.atomic.policy.TunableStore;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The tunables the Engine obeys (docs/policy.md), three per component: its event coalescing window, its leak
 * detector's horizon, and how far the Engine may act on a predicted failure. They live in the policy loop's store,
 * which bounds, logs and decays them; after each round the loop's thread copies every value into an array the duty
 * cycle reads with a volatile read — no lock, no allocation, never a wait on the policies.
 */
final class EngineTunables {
    static final String WINDOW = "coalescing.window.";
    static final String HORIZON = "leak.horizon.";
    static final String PROACTIVE = "proactive.";
    /** What the Engine may do on a predicted failure: only say so, also checkpoint it now, also restart it, planned. */
    static final int ADVISE = 0;
    static final int CHECKPOINT = 1;
    static final int RESTART = 2;
    /** The operator's ceiling on {@link #PROACTIVE}: {@code advise}, {@code checkpoint} (the default) or {@code restart}. */
    static final String CEILING = "ATOMIC_ENGINE_PROACTIVE";
    private static final String[] LEVELS = {"advise", "checkpoint", "restart"};
    private static final int KINDS = 3;

    private final String[] ids;
    private final int ceiling;
    private final AtomicLongArray values;
    /** Why each value is what it is: for the Engine's line when it acts on one. */
    private final AtomicReferenceArray<String> reasons;

    /** @param ids each member's component id, by slot */
    EngineTunables(String[] ids, int ceiling) {
        this.ids = ids.clone();
        this.ceiling = Math.max(ADVISE, Math.min(RESTART, ceiling));
        this.values = new AtomicLongArray(ids.length * KINDS);
        this.reasons = new AtomicReferenceArray<>(ids.length * KINDS);
        for (int slot = 0; slot < ids.length; slot++) {
            values.set(slot * KINDS, Coalescer.DEFAULT_MICROS_PER_KRATE);
            values.set(slot * KINDS + 1, (long) LeakDetector.HORIZON_SECONDS);
            values.set(slot * KINDS + 2, ADVISE);
        }
    }

    /** The ceiling the Engine's environment sets ({@link #CEILING}); {@link #CHECKPOINT} when unset or unknown. */
    static int ceilingFromEnvironment() {
        String v = System.getenv(CEILING);
        for (int i = 0; i < LEVELS.length; i++) {
            if (LEVELS[i].equals(v)) {
                return i;
            }
        }
        return CHECKPOINT;
    }

    static String level(long level) {
        return LEVELS[(int) Math.max(0, Math.min(RESTART, level))];
    }

    /** Defines every tunable in {@code store}: bounds, safe defaults (today's built-in behaviour), owner, decay. */
    void define(TunableStore store) {
        for (String id : ids) {
            store.define(new Tunable(WINDOW + id, Tunable.Kind.INTEGER, 0, 1000, Coalescer.DEFAULT_MICROS_PER_KRATE,
                    "engine/coalescer", Duration.ofSeconds(30), "microseconds of event coalescing window per 1,000 "
                    + "events/s of " + id + " while it sends 1,000/s or more (0: never held; the window is at most "
                    + Coalescer.MAX_WINDOW_NANOS / 1_000_000 + " ms)"));
            store.define(new Tunable(HORIZON + id, Tunable.Kind.INTEGER, 10, 120, LeakDetector.HORIZON_SECONDS,
                    "engine/leak", Duration.ofSeconds(60), "seconds ahead the leak detector restarts " + id
                    + " when its memory is due at its limit within them"));
            store.define(new Tunable(PROACTIVE + id, Tunable.Kind.INTEGER, ADVISE, ceiling, ADVISE, "engine/supervisor",
                    Duration.ofSeconds(10), "on a predicted failure of " + id + ": 0 say so, 1 also checkpoint it now, "
                    + "2 also restart it, planned (the operator allows up to " + ceiling + ", " + CEILING + "="
                    + level(ceiling) + ")"));
        }
    }

    /** On the policy loop's thread, after a round: the store's values (clamped, decayed) made the Engine's. */
    void publish(TunableStore store, long nowMillis) {
        for (TunableStore.Entry e : store.entries(nowMillis)) {
            int i = index(e.tunable().name());
            if (i >= 0) {
                reasons.set(i, e.onDefault() ? "its default" : e.setBy() + ": " + e.reason());
                values.set(i, Math.round(e.value()));
            }
        }
    }

    private int index(String name) {
        int kind = name.startsWith(WINDOW) ? 0 : name.startsWith(HORIZON) ? 1 : name.startsWith(PROACTIVE) ? 2 : -1;
        if (kind < 0) {
            return -1;
        }
        String id = name.substring(kind == 0 ? WINDOW.length() : kind == 1 ? HORIZON.length() : PROACTIVE.length());
        for (int slot = 0; slot < ids.length; slot++) {
            if (ids[slot].equals(id)) {
                return slot * KINDS + kind;
            }
        }
        return -1;
    }

    /** Microseconds of coalescing window per 1,000 events/s of the source. */
    long windowPerKrate(int slot) {
        return values.get(slot * KINDS);
    }

    long leakHorizonSeconds(int slot) {
        return values.get(slot * KINDS + 1);
    }

    /** {@link #ADVISE}, {@link #CHECKPOINT} or {@link #RESTART}. */
    int proactive(int slot) {
        return (int) values.get(slot * KINDS + 2);
    }

    /** Who set the slot's proactive level and why. */
    String proactiveReason(int slot) {
        return reasons.get(slot * KINDS + 2);
    }

    int ceiling() {
        return ceiling;
    }
}
