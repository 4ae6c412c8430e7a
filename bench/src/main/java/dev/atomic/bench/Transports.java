package dev.atomic.bench;

import java.util.List;

/** Every transport the harness can start, by the id the child JVMs receive on their command line. */
final class Transports {
    static final Transport RING = new RingTransport("ring", Waiting.SPIN_THEN_SLEEP);
    static final Transport RING_SPINNING = new RingTransport("ring-spin", Waiting.SPIN);
    static final Transport UNIX = new SocketTransport.Unix();
    static final Transport TCP = new SocketTransport.Tcp();

    private static final List<Transport> ALL = List.of(RING, RING_SPINNING, UNIX, TCP);

    private Transports() {
    }

    static Transport byId(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no transport '" + id + "'"));
    }
}
