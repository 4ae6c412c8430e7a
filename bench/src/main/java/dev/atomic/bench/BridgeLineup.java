package dev.atomic.bench;

import dev.atomic.auditor.Mode;
import dev.atomic.auditor.Reservation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.atomic.bench.Workload.COPY_64KIB;
import static dev.atomic.bench.Workload.CRITICAL_64B;
import static dev.atomic.bench.Workload.CRITICAL_64B_FLOODED;
import static dev.atomic.bench.Workload.PIPELINED_64B;
import static dev.atomic.bench.Workload.ROUND_TRIP_64B;
import static dev.atomic.bench.Workload.ZERO_COPY_64KIB;

/** The paths the bridge benchmark puts side by side, and the targets the issue sets for them. */
final class BridgeLineup {
    private static final List<Workload> COPYING = List.of(ROUND_TRIP_64B, COPY_64KIB, PIPELINED_64B);
    private static final List<Workload> WITH_ZERO_COPY = List.of(ROUND_TRIP_64B, COPY_64KIB, ZERO_COPY_64KIB,
            PIPELINED_64B);

    static final BridgePath BROKERED = BridgePath.booted("(a) brokered through the Engine", BenchSystem.Route.BROKERED,
            List.of(ROUND_TRIP_64B, COPY_64KIB, ZERO_COPY_64KIB, PIPELINED_64B, CRITICAL_64B, CRITICAL_64B_FLOODED),
            Map.of());
    static final BridgePath FAST_PATH = BridgePath.booted("(b) fast path", BenchSystem.Route.FAST, WITH_ZERO_COPY,
            Map.of(ZERO_COPY_64KIB, "not applicable: a fast path carries copies; a pooled call goes through the "
                    + "Engine even while a fast path is open"));
    static final BridgePath RING = BridgePath.pair("(c) bare ring", Transports.RING, COPYING, null);
    static final BridgePath RING_SPINNING = BridgePath.pair("(c) bare ring, both spinning", Transports.RING_SPINNING,
            List.of(ROUND_TRIP_64B), "for information: each process spins on a core of its own; Atomic's "
            + "components never do, on two cores it starves the Engine");
    static final BridgePath UNIX = BridgePath.pair("(d) Unix domain socket", Transports.UNIX, COPYING, null);
    static final BridgePath TCP = BridgePath.pair("(e) TCP loopback", Transports.TCP, COPYING, null);

    static final List<BridgePath> PATHS = List.of(BROKERED, FAST_PATH, RING, RING_SPINNING, UNIX, TCP);

    private BridgeLineup() {
    }

    /**
     * Figure name → target, in the order the results list them. The first is one this run can always judge:
     * the hook that checks results files reads {@code figures[0].met}.
     */
    static Map<String, Target> targets(Reservation reservation) {
        String floor = RING.figureName(ROUND_TRIP_64B, Metric.P50);
        String socket = UNIX.figureName(ROUND_TRIP_64B, Metric.P50);
        Map<String, Target> targets = new LinkedHashMap<>();
        targets.put(floor, Target.atMost(1.0, socket)
                .because("Atomic's floor: shared memory must beat the kernel's IPC"));
        targets.put(FAST_PATH.figureName(ROUND_TRIP_64B, Metric.P50), Target.atMost(1.5, floor));
        targets.put(BROKERED.figureName(ROUND_TRIP_64B, Metric.P50), reservation.mode() == Mode.PARTITIONED
                ? Target.atMost(3.0, floor).because("a CPU is reserved for the Engine")
                : Target.atMost(1.0, socket).because(reservation.profile().label() + " profile, "
                        + reservation.mode().label() + " mode: no CPU is reserved for the Engine"));
        targets.put(BROKERED.figureName(CRITICAL_64B_FLOODED, Metric.P99),
                Target.atMost(2.0, BROKERED.figureName(CRITICAL_64B, Metric.P99))
                        .because("bulk data must not hold up the critical lane"));
        return targets;
    }
}
