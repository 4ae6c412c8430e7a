package dev.atomic.engine;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;

/**
 * Adaptive event coalescing. While a source sends events slowly they pass straight through; when its rate climbs,
 * the Engine holds each (source, service, method)'s newest event for a window that grows with the rate, and
 * delivers one event standing for all those it replaced. The critical lane is never coalesced. The same window is
 * written into the source's lane segment ({@link #publish}), so that its SDK merges its events before they reach the
 * lane; what the Engine holds here is what a source that ignores it sends.
 * <p>
 * {@link #SWITCH}{@code =off} in the Engine's environment turns coalescing off, every event then delivered on its own:
 * the baseline {@code atomic bench storm} measures coalescing against, not a setting for a running system.
 */
final class Coalescer {
    /** Below this many frames per second from a source, nothing is held back. */
    static final long CALM_RATE = 1_000;
    static final long MAX_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The built-in window: this many microseconds per 1,000 frames/s (the tunable {@code coalescing.window.<id>}). */
    static final long DEFAULT_MICROS_PER_KRATE = 100;
    static final String SWITCH = "ATOMIC_ENGINE_COALESCING";
    /** The longest hold a source's word is believed for (past the policy's bound either way). */
    private static final long MAX_SOURCE_HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);

    interface Sink {
        void deliver(int source, int serviceId, int method, DirectBuffer payload, int offset, int length, int count);
    }

    private static final class Pending {
        final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(64);
        int source;
        int serviceId;
        int method;
        int length;
        int count;
        long since;
    }

    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private final Sink sink;
    private final boolean enabled;
    /** Per source: its events merged into another since it last started. */
    private final long[] mergedFrom;
    /** Per source: events offered, and the longest an event was held, since they were last taken. */
    private final long[] offered;
    private final long[] longestHold;
    /** Per source: microseconds of window per 1,000 frames/s, as the Engine's tunables say. */
    private IntToLongFunction windowPerKrate = source -> DEFAULT_MICROS_PER_KRATE;
    private long held;
    private long merged;
    /** When the first held event's window ends; Long.MAX_VALUE: none held. */
    private long nextDue = Long.MAX_VALUE;

    Coalescer(Sink sink, int sources, boolean enabled) {
        this.sink = sink;
        this.mergedFrom = new long[sources];
        this.offered = new long[sources];
        this.longestHold = new long[sources];
        this.enabled = enabled;
    }

    /** On unless the Engine's environment says {@link #SWITCH}{@code =off}. */
    static boolean enabledByEnvironment() {
        return !"off".equals(System.getenv(SWITCH));
    }

    boolean enabled() {
        return enabled;
    }

    /** Each source's window from now on: microseconds per 1,000 frames/s (read on the duty cycle: no allocation). */
    void follow(IntToLongFunction windowPerKrate) {
        this.windowPerKrate = windowPerKrate;
    }

    /** The built-in window for a source sending {@code rate} frames per second: 0 while calm, at most 10 ms. */
    static long window(long rate) {
        return window(rate, DEFAULT_MICROS_PER_KRATE);
    }

    /** The window for a source sending {@code rate} frames per second, {@code microsPerKrate} per 1,000/s. */
    static long window(long rate, long microsPerKrate) {
        if (rate < CALM_RATE) {
            return 0;
        }
        return Math.min(MAX_WINDOW_NANOS, TimeUnit.MICROSECONDS.toNanos(microsPerKrate) * (rate / CALM_RATE));
    }

    private long windowOf(int source, long rate) {
        return window(rate, windowPerKrate.applyAsLong(source));
    }

    /**
     * Takes an event standing for {@code count} (more than 1 when its source merged them within the window it was set,
     * the oldest emitted at {@code heldSince}, 0: unknown); false when the source is calm and the caller should
     * deliver it now.
     */
    boolean offer(int source, int serviceId, int method, long rate, DirectBuffer b, int offset, int length, int count,
                  long heldSince, long now) {
        offered[source] += count;
        merged += count - 1;
        mergedFrom[source] += count - 1;
        if (heldSince != 0) { // the source's word: a lie shortens or keeps its own window, nobody else's
            longestHold[source] = Math.max(longestHold[source], Math.min(MAX_SOURCE_HOLD_NANOS,
                    Math.max(0, now - heldSince)));
        }
        long window = enabled ? windowOf(source, rate) : 0;
        if (window == 0) {
            return false;
        }
        long key = ((long) source << 40) | ((long) serviceId << 20) | (method & 0xFFFFF);
        Pending p = pending.get(key);
        if (p == null) {
            p = new Pending();
            pending.put(key, p);
        }
        if (p.count == 0) {
            p.since = now;
            p.source = source;
            p.serviceId = serviceId;
            p.method = method;
            held++;
            if (nextDue == Long.MAX_VALUE || now + window - nextDue < 0) {
                nextDue = now + window;
            }
        } else {
            merged++;
            mergedFrom[source]++;
        }
        p.payload.putBytes(0, b, offset, length);
        p.length = length;
        p.count = (int) Math.min(Integer.MAX_VALUE, (long) p.count + count);
        return true;
    }

    /** When the first held event's window ends ({@link Long#MAX_VALUE}: none held): the Engine's idle wakes for it. */
    long dueAt() {
        return nextDue;
    }

    /**
     * Writes each source's window into its lane segment, for its SDK to merge its ordinary events within before they
     * reach the lane: from its rate in events (the counts its frames stand for), 0 while it is calm or coalescing is off.
     */
    void publish(Member[] members, IntToLongFunction eventRate) {
        for (Member m : members) {
            long window = enabled ? windowOf(m.slot, eventRate.applyAsLong(m.slot)) : 0;
            if (m.segment.coalescingWindowNanos() != window) {
                m.segment.coalescingWindowNanos(window);
            }
        }
    }

    /** Delivers every held event whose window has passed (all of them when {@code force}). */
    void flush(long now, java.util.function.IntToLongFunction rateOfSource, boolean force) {
        nextDue = Long.MAX_VALUE;
        if (held == 0) {
            return;
        }
        for (Pending p : pending.values()) {
            if (p.count == 0) {
                continue;
            }
            long due = p.since + windowOf(p.source, rateOfSource.applyAsLong(p.source));
            if (force || now - due >= 0) {
                longestHold[p.source] = Math.max(longestHold[p.source], now - p.since);
                sink.deliver(p.source, p.serviceId, p.method, p.payload, 0, p.length, p.count);
                p.count = 0;
                held--;
            } else if (nextDue == Long.MAX_VALUE || due - nextDue < 0) {
                nextDue = due;
            }
        }
    }

    /** Drops what a dead source had pending. */
    void forget(int source) {
        mergedFrom[source] = 0;
        for (Pending p : pending.values()) {
            if (p.source == source && p.count > 0) {
                p.count = 0;
                held--;
            }
        }
    }

    /** The source's events offered since the last call (read once a second on the duty cycle, then reset). */
    long takeOffered(int source) {
        long n = offered[source];
        offered[source] = 0;
        return n;
    }

    /** The longest one of the source's events was held since the last call, nanoseconds (then reset). */
    long takeLongestHold(int source) {
        long n = longestHold[source];
        longestHold[source] = 0;
        return n;
    }

    /** Events that were merged into another instead of being delivered. */
    long merged() {
        return merged;
    }

    /** Events of this source merged into another since it last started. */
    long merged(int source) {
        return mergedFrom[source];
    }
}
