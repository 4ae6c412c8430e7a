package dev.atomic.engine;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests the Engine forwarded and has not yet seen answered. The key joins the requester's slot (the lane the
 * request came in on, never a claimed id) with its correlation id, so one component cannot answer, or collide
 * with, another's requests.
 */
final class InFlight {
    /** Correlation ids are 48-bit so that the slot fits beside them in one long key. */
    static final long MAX_CORRELATION = (1L << 48) - 1;

    /**
     * @param pool       the pool a lent buffer belongs to, or -1 when the request lent none
     * @param mirrorSlot its record in the state mirror, or -1 when the mirror had no room for it
     */
    record Entry(int requester, long correlation, int provider, int serviceId, int method, long deadline, int pool,
                 int buffer, int mirrorSlot) {
    }

    private final Long2ObjectHashMap<Entry> entries = new Long2ObjectHashMap<>();

    static long key(int requester, long correlation) {
        return ((long) requester << 48) | correlation;
    }

    /** False when the requester already has a request in flight with this correlation id. */
    boolean add(Entry e) {
        return entries.putIfAbsent(key(e.requester(), e.correlation()), e) == null;
    }

    Entry get(int requester, long correlation) {
        return entries.get(key(requester, correlation));
    }

    void remove(Entry e) {
        entries.remove(key(e.requester(), e.correlation()));
    }

    /** How many are in flight to one provider. */
    int countTo(int provider) {
        int n = 0;
        for (Entry e : entries.values()) {
            n += e.provider() == provider ? 1 : 0;
        }
        return n;
    }

    int size() {
        return entries.size();
    }

    /** Whether a request to or from {@code slot} is in flight. */
    boolean involves(int slot) {
        for (Entry e : entries.values()) {
            if (e.provider() == slot || e.requester() == slot) {
                return true;
            }
        }
        return false;
    }

    /** Removes and returns the entries that match; used for deadlines and for a component's death. */
    List<Entry> removeIf(java.util.function.Predicate<Entry> test) {
        List<Entry> removed = new ArrayList<>();
        var it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (test.test(e)) {
                removed.add(e);
                it.remove();
            }
        }
        return removed;
    }
}
