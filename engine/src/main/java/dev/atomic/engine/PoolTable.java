package dev.atomic.engine;

import dev.atomic.bridge.PoolRef;
import dev.atomic.component.PoolSpec;
import org.agrona.DirectBuffer;

import java.util.List;

/**
 * Who owns which buffer of every pool — kept in the Engine's own memory, which no component maps: the seed's IOMMU
 * rule, that nobody can reference memory it was not granted. A caller owns all of its pool's buffers; a pooled
 * request lends one to the provider until the call is answered, expires, or either side dies.
 */
final class PoolTable {
    record Pool(int id, int caller, int provider, int serviceId, int bufferSize, int buffers, String path) {
    }

    private final Pool[] pools;
    private final int[][] owner;
    /** The buffer index of the last reference {@link #check} accepted. */
    private int checkedBuffer;

    PoolTable(List<PoolSpec> specs, Member[] members, List<String> services, int[] providers, List<String> paths) {
        pools = new Pool[specs.size()];
        owner = new int[specs.size()][];
        for (int id = 0; id < pools.length; id++) {
            PoolSpec s = specs.get(id);
            int caller = java.util.Arrays.stream(members).filter(m -> m.spec.id().equals(s.caller())).findFirst()
                    .orElseThrow().slot;
            int serviceId = services.indexOf(s.service());
            pools[id] = new Pool(id, caller, providers[serviceId], serviceId, s.bufferSize(), s.buffers(), paths.get(id));
            owner[id] = new int[s.buffers()];
            java.util.Arrays.fill(owner[id], caller);
        }
    }

    List<Pool> pools() {
        return List.of(pools);
    }

    /**
     * Checks a pool reference {@code from} sends to {@code to}: null when it may pass (then {@link #checkedBuffer}
     * names the buffer), else why not, in words fit for the sender.
     */
    String check(int from, int to, DirectBuffer b, int at, int length) {
        if (length != PoolRef.LENGTH) {
            return "a pool reference is " + PoolRef.LENGTH + " bytes, not " + length;
        }
        int id = PoolRef.pool(b, at);
        if (id < 0 || id >= pools.length) {
            return "no pool " + id;
        }
        Pool pool = pools[id];
        if (pool.caller() != from || pool.provider() != to) {
            return "pool " + id + " is not shared between these two components";
        }
        long offset = PoolRef.offset(b, at);
        int bytes = PoolRef.length(b, at);
        long size = (long) pool.bufferSize() * pool.buffers();
        if (offset < 0 || bytes <= 0 || offset + bytes > size) {
            return "bytes " + offset + ".." + (offset + bytes) + " lie outside pool " + id + " (" + size + " bytes)";
        }
        int buffer = (int) (offset / pool.bufferSize());
        if ((offset + bytes - 1) / pool.bufferSize() != buffer) {
            return "bytes " + offset + ".." + (offset + bytes) + " cross the end of buffer " + buffer;
        }
        if (owner[id][buffer] != from) {
            return "buffer " + buffer + " of pool " + id + " is not the sender's (it is lent out)";
        }
        checkedBuffer = buffer;
        return null;
    }

    int checkedBuffer() {
        return checkedBuffer;
    }

    void lend(int pool, int buffer) {
        owner[pool][buffer] = pools[pool].provider();
    }

    void giveBack(int pool, int buffer) {
        owner[pool][buffer] = pools[pool].caller();
    }

    /**
     * A party of a pool died. Its loans end with the calls that made them; a restarted caller starts again owning
     * every buffer, as its first incarnation did.
     */
    void forget(int slot) {
        for (int id = 0; id < pools.length; id++) {
            if (pools[id].caller() == slot || pools[id].provider() == slot) {
                java.util.Arrays.fill(owner[id], pools[id].caller());
            }
        }
    }
}
