package dev.atomic.engine;

import dev.atomic.bridge.Priority;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests flagged IDEMPOTENT (a method declared idempotent, docs/kabi.md) keep a copy of their payload while in
 * flight. When their provider dies they are not failed but held, and forwarded again, once, to its next incarnation
 * as soon as it is ready; a request whose deadline passes meanwhile, or whose provider is given up on, fails then.
 * Any other request under way at a death fails at once (Router.forget). Requests lending a pool buffer are not kept:
 * the loan ends with the death.
 */
final class Replays {
    /** A request as it may be forwarded again. */
    record Kept(InFlight.Entry entry, Priority lane, int flags, byte[] payload) {
    }

    private final Long2ObjectHashMap<Kept> inFlight = new Long2ObjectHashMap<>();
    private final List<Kept> held = new ArrayList<>();

    void keep(InFlight.Entry e, Priority lane, int flags, byte[] payload) {
        inFlight.put(InFlight.key(e.requester(), e.correlation()), new Kept(e, lane, flags, payload));
    }

    /** The request is over (answered, expired, or failed). */
    void drop(InFlight.Entry e) {
        inFlight.remove(InFlight.key(e.requester(), e.correlation()));
    }

    /** Its provider died: what is now held for the next incarnation, or null when it is not replayable. */
    Kept hold(InFlight.Entry e) {
        Kept k = inFlight.remove(InFlight.key(e.requester(), e.correlation()));
        if (k != null) {
            held.add(k);
        }
        return k;
    }

    /** Removes and returns what waits for this provider slot. */
    List<Kept> release(int provider) {
        List<Kept> out = new ArrayList<>();
        held.removeIf(k -> k.entry().provider() == provider && out.add(k));
        return out;
    }

    /** The requester died: nobody waits for these any more. Returns those that were held. */
    List<Kept> forgetRequester(int requester) {
        List<Kept> out = new ArrayList<>();
        held.removeIf(k -> k.entry().requester() == requester && out.add(k));
        inFlight.values().removeIf(k -> k.entry().requester() == requester);
        return out;
    }

    int held() {
        return held.size();
    }
}
