package dev.atomic.bench;

import java.util.Arrays;
import java.util.Optional;

/** What the client does with a path during one run. */
enum Workload {
    ROUND_TRIP_64B("rt64", "64 B round trip", 64, 1),
    COPY_64KIB("copy64k", "64 KiB copying transfer", 64 * 1024, 1),
    /** For the paths with granted buffer pools: the payload stays in place, frames carry a reference. */
    ZERO_COPY_64KIB("pool64k", "64 KiB zero-copy transfer", 64 * 1024, 1),
    PIPELINED_64B("pipelined64", "64 B pipelined, 32 in flight", 64, 32),
    /** A call on the critical lane, timed as a round trip in the caller: one clock, like every other figure here. */
    CRITICAL_64B("critical", "critical event (64 B round trip), no flood", 64, 1),
    /** The same while other callers keep 64 KiB transfers flowing through the Engine as fast as they can. */
    CRITICAL_64B_FLOODED("critical-flood", "critical event (64 B round trip) under a 64 KiB bulk flood", 64, 1);

    /**
     * Every reply's size: the echo of a 64 B request, the acknowledgement of a 64 KiB transfer. A transfer moves its
     * payload one way (a provider's reply travels on the request lane, whose frames cannot carry 64 KiB).
     */
    static final int REPLY_BYTES = 64;

    private final String id;
    private final String label;
    private final int payloadBytes;
    private final int inFlight;

    Workload(String id, String label, int payloadBytes, int inFlight) {
        this.id = id;
        this.label = label;
        this.payloadBytes = payloadBytes;
        this.inFlight = inFlight;
    }

    /** Stable and short: part of the names of the systems the bench boots. */
    String id() {
        return id;
    }

    static Optional<Workload> byId(String id) {
        return Arrays.stream(values()).filter(w -> w.id.equals(id)).findFirst();
    }

    String label() {
        return label;
    }

    int payloadBytes() {
        return payloadBytes;
    }

    /** Requests the client keeps outstanding; 1 is plain ping-pong, where each round trip is timed. */
    int inFlight() {
        return inFlight;
    }

    boolean pipelined() {
        return inFlight > 1;
    }
}
