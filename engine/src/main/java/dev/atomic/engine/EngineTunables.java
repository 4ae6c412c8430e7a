package dev.atomic.engine;

import dev.atomic.policy.Tunable;
import dev.atomic.policy.TunableStore;
import dev.atomic.policy.sizing.Measure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The tunables the Engine obeys (docs/policy.md), per component: its event coalescing window, its leak detector's
 * horizon, how far the Engine may act on a predicted failure (policy 2) and on an early warning (policy 1); and, once
 * policy 3 is live and has seen it, its memory limit and CPU quota ({@link Measure#tunable}, defined by the loop).
 * They live in the policy loop's store, which bounds, logs and decays them; after each round the loop's thread copies
 * every value into an array the duty cycle reads with a volatile read — no lock, no allocation, never a wait on the
 * policies.
 */
final class EngineTunables {
    static final String WINDOW = "coalescing.window.";
    static final String HORIZON = "leak.horizon.";
    static final String PROACTIVE = "proactive.";
    static final String WARNING = "warning.";
    static final String TIER = "tier.";
    /** Per-component prefixes, by kind: the index of a value is {@code slot * KINDS + kind}. */
    private static final String[] PREFIXES = {WINDOW, HORIZON, PROACTIVE, WARNING, Measure.MEMORY.tunable + ".",
            Measure.CPU.tunable + ".", TIER};
    private static final int KINDS = PREFIXES.length;
    private static final int MEMORY = 4;
    private static final int CPU = 5;
    private static final int TIER_KIND = 6;
    /**
     * How far the Engine may act on policy 5's word ({@link #TIER}{@code <id>}, negative: less trust): only say so,
     * also hold it off its fast paths, also move a Tier 1 component to a process of its own.
     */
    static final int TIER_ADVISE = 0;
    static final int OFF_FAST_PATHS = 1;
    static final int OUT_OF_TIER_1 = 2;
    /** The operator's ceiling on {@link #TIER}: {@code advise}, {@code fast-paths} or {@code tier} (the default). */
    static final String TIER_CEILING = "ATOMIC_ENGINE_TIER";
    private static final String[] TIER_LEVELS = {"advise", "fast-paths", "tier"};
    /** CPU quotas are kept in millionths of a CPU. */
    static final double MICRO = 1e6;
    /** What the Engine may do on a predicted failure: only say so, also checkpoint it now, also restart it, planned. */
    static final int ADVISE = 0;
    static final int CHECKPOINT = 1;
    static final int RESTART = 2;
    /** The operator's ceiling on {@link #PROACTIVE}: {@code advise}, {@code checkpoint} (the default) or {@code restart}. */
    static final String CEILING = "ATOMIC_ENGINE_PROACTIVE";
    private static final String[] LEVELS = {"advise", "checkpoint", "restart"};

    private final String[] ids;
    private final int ceiling;
    private final int tierCeiling;
    private final Set<String> earning;
    private final AtomicLongArray values;
    /** Why each value is what it is: for the Engine's line when it acts on one. */
    private final AtomicReferenceArray<String> reasons;
    /** Which policy set each value (null: on its default). */
    private final AtomicReferenceArray<String> setters;

    /** @param ids each member's component id, by slot */
    EngineTunables(String[] ids, int ceiling) {
        this(ids, ceiling, OUT_OF_TIER_1);
    }

    EngineTunables(String[] ids, int ceiling, int tierCeiling) {
        this(ids, ceiling, tierCeiling, Set.of());
    }

    /**
     * @param tierCeiling how far policy 5's word is acted on ({@link #tierCeilingFromEnvironment})
     * @param earning     the components whose Tier 1 is earned: their tier tunable's safe default is the most
     *                    distrust allowed, so that only policy 5's word, refreshed, keeps them in Tier 1
     */
    EngineTunables(String[] ids, int ceiling, int tierCeiling, Set<String> earning) {
        this.ids = ids.clone();
        this.earning = Set.copyOf(earning);
        this.ceiling = Math.max(ADVISE, Math.min(RESTART, ceiling));
        this.tierCeiling = Math.max(TIER_ADVISE, Math.min(OUT_OF_TIER_1, tierCeiling));
        this.values = new AtomicLongArray(ids.length * KINDS);
        this.reasons = new AtomicReferenceArray<>(ids.length * KINDS);
        this.setters = new AtomicReferenceArray<>(ids.length * KINDS);
        for (int slot = 0; slot < ids.length; slot++) {
            values.set(slot * KINDS, Coalescer.DEFAULT_MICROS_PER_KRATE);
            values.set(slot * KINDS + 1, (long) LeakDetector.HORIZON_SECONDS);
            values.set(slot * KINDS + 2, ADVISE);
            values.set(slot * KINDS + TIER_KIND, earning.contains(ids[slot]) ? -this.tierCeiling : 0);
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

    /** The ceiling the Engine's environment sets ({@link #TIER_CEILING}); {@link #OUT_OF_TIER_1} when unset or unknown. */
    static int tierCeilingFromEnvironment() {
        int i = java.util.Arrays.asList(TIER_LEVELS).indexOf(System.getenv(TIER_CEILING));
        return i < 0 ? OUT_OF_TIER_1 : i;
    }

    static String tierLevel(int level) {
        return TIER_LEVELS[Math.max(0, Math.min(OUT_OF_TIER_1, level))];
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
            store.define(new Tunable(WARNING + id, Tunable.Kind.INTEGER, ADVISE, Math.min(ceiling, CHECKPOINT), ADVISE,
                    "engine/supervisor", Duration.ofSeconds(10), "on an early warning that " + id + " behaves unlike "
                    + "itself: 0 say so, 1 also checkpoint it now (never more: it has not failed)"));
            store.define(new Tunable(TIER + id, Tunable.Kind.INTEGER, -tierCeiling, 0,
                    earning.contains(id) ? -tierCeiling : 0, "engine/tier",
                    Duration.ofSeconds(120), "how much less than its manifest " + id + " is trusted, on policy 5's "
                    + "word: 0 as its manifest says, -1 held off its fast paths (its calls go through the Engine), -2 "
                    + "also, if Tier 1, moved to a sandboxed process of its own through a planned restart (the "
                    + "operator allows down to -" + tierCeiling + ", " + TIER_CEILING + "=" + tierLevel(tierCeiling)
                    + "); back to 0 lifts it the same way" + (earning.contains(id) ? "; its Tier 1 is earned: it "
                    + "starts at the most distrust allowed, and only policy 5's promotion, refreshed, moves it in"
                    : "")));
        }
    }

    /** On the policy loop's thread, after a round: the store's values (clamped, decayed) made the Engine's. */
    void publish(TunableStore store, long nowMillis) {
        for (TunableStore.Entry e : store.entries(nowMillis)) {
            int i = index(e.tunable().name());
            if (i >= 0) {
                int kind = i % KINDS;
                reasons.set(i, e.onDefault() ? "its default" : e.setBy() + ": " + e.reason());
                setters.set(i, e.setBy());
                // A size on its default is the manifest's: 0, nothing for the Sovereign to change.
                values.set(i, (kind == MEMORY || kind == CPU) && e.onDefault() ? 0
                        : Math.round(kind == CPU ? e.value() * MICRO : e.value()));
            }
        }
    }

    private int index(String name) {
        for (int kind = 0; kind < KINDS; kind++) {
            if (name.startsWith(PREFIXES[kind])) {
                String id = name.substring(PREFIXES[kind].length());
                for (int slot = 0; slot < ids.length; slot++) {
                    if (ids[slot].equals(id)) {
                        return slot * KINDS + kind;
                    }
                }
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

    /** {@link #ADVISE}, {@link #CHECKPOINT} or {@link #RESTART}: the higher of policy 2's and policy 1's. */
    int proactive(int slot) {
        return (int) Math.max(values.get(slot * KINDS + 2), values.get(slot * KINDS + 3));
    }

    /** Who set the slot's proactive level and why. */
    String proactiveReason(int slot) {
        return reasons.get(proactiveIndex(slot));
    }

    /** The policy that set the slot's proactive level; null on its default. */
    String proactiveBy(int slot) {
        return setters.get(proactiveIndex(slot));
    }

    private int proactiveIndex(int slot) {
        return slot * KINDS + (values.get(slot * KINDS + 3) > values.get(slot * KINDS + 2) ? 3 : 2);
    }

    /** Policy 3's memory limit for the slot, bytes; 0 for the manifest's. */
    long memoryLimit(int slot) {
        return values.get(slot * KINDS + MEMORY);
    }

    /** Policy 3's CPU quota for the slot, in millionths of a CPU; 0 for the manifest's. */
    long cpuQuotaMicros(int slot) {
        return values.get(slot * KINDS + CPU);
    }

    int ceiling() {
        return ceiling;
    }

    int tierCeiling() {
        return tierCeiling;
    }

    /** Policy 5's word on the slot: 0, or how much less it is trusted ({@link #OFF_FAST_PATHS}, {@link #OUT_OF_TIER_1}). */
    int distrust(int slot) {
        return (int) -values.get(slot * KINDS + TIER_KIND);
    }

    /** Who set the slot's tier tunable and why. */
    String tierReason(int slot) {
        return reasons.get(slot * KINDS + TIER_KIND);
    }

    /** The policy that set the slot's tier tunable last; null on its default. */
    String tierBy(int slot) {
        return setters.get(slot * KINDS + TIER_KIND);
    }
}
