package dev.atomic.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tunables and their current values. Every value set is clamped to its tunable's bounds; every change is logged
 * with the policy and its reason; a value not set again within its tunable's decay period reverts to the default.
 * Times are the caller's milliseconds: tested without a clock. Thread-safe.
 */
public final class TunableStore {
    /** A tunable's state now, as {@code atomic tunables} lists it. {@code setBy} is null while on its default. */
    public record Entry(Tunable tunable, double value, String setBy, String reason, long setAtMillis) {
        public boolean onDefault() {
            return setBy == null;
        }

        /** When it reverts to its default unless refreshed (-1: on its default already). */
        public long expiresAtMillis() {
            return onDefault() ? -1 : setAtMillis + tunable.decay().toMillis();
        }
    }

    /** Changes kept in memory for reading back; the listener sees them all. */
    static final int LOG_KEPT = 1000;

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final java.util.ArrayDeque<TunableChange> log = new java.util.ArrayDeque<>();
    private final Consumer<TunableChange> listener;

    /** @param listener told of every change as it is logged (the Engine appends them to a file) */
    public TunableStore(Consumer<TunableChange> listener) {
        this.listener = listener;
    }

    public TunableStore() {
        this(c -> { });
    }

    public synchronized void define(Tunable t) {
        if (entries.containsKey(t.name())) {
            throw new IllegalArgumentException("tunable " + t.name() + " is defined already");
        }
        entries.put(t.name(), new Entry(t, t.safeDefault(), null, null, 0));
    }

    public synchronized Tunable tunable(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.tunable;
    }

    /** Its value at {@code now}: the default once a policy's value decayed. */
    public synchronized double value(String name, long now) {
        decay(now);
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tunable " + name);
        }
        return e.value;
    }

    /**
     * Sets a value, clamped to the bounds; the same value again only refreshes it (no change to log).
     *
     * @return the value it holds now
     */
    public synchronized double set(String name, double proposed, String policy, String reason, long now) {
        decay(now);
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tunable " + name);
        }
        double v = e.tunable.clamp(proposed);
        if (Double.compare(v, e.value) != 0 || e.onDefault()) {
            record(new TunableChange(now, name, e.value, v, proposed, policy, reason));
        }
        entries.put(name, new Entry(e.tunable, v, policy, reason, now));
        return v;
    }

    /** Reverts every value whose decay period ran out, logging each; returns what reverted. */
    public synchronized List<TunableChange> decay(long now) {
        List<TunableChange> reverted = new ArrayList<>();
        for (Entry e : List.copyOf(entries.values())) {
            if (!e.onDefault() && now - e.expiresAtMillis() >= 0) {
                Tunable t = e.tunable;
                TunableChange c = new TunableChange(now, t.name(), e.value, t.safeDefault(), t.safeDefault(),
                        TunableChange.DECAY, "not refreshed by " + e.setBy + " within " + t.decay().toSeconds()
                        + " s: back to its default");
                entries.put(t.name(), new Entry(t, t.safeDefault(), null, null, 0));
                record(c);
                reverted.add(c);
            }
        }
        return reverted;
    }

    public synchronized List<Entry> entries(long now) {
        decay(now);
        return List.copyOf(entries.values());
    }

    /** The last {@link #LOG_KEPT} changes, oldest first. */
    public synchronized List<TunableChange> changes() {
        return List.copyOf(log);
    }

    private void record(TunableChange c) {
        if (log.size() == LOG_KEPT) {
            log.removeFirst();
        }
        log.addLast(c);
        listener.accept(c);
    }
}
