package dev.atomic.bench;

import java.util.List;
import java.util.Map;

/**
 * One contender of the bridge benchmark, measured either between two JVMs of its own ({@code transport}) or inside
 * a real Atomic boot ({@code route}): exactly one of the two is set.
 *
 * @param notApplicable workloads listed beside the others' that this path cannot run, with why: reported with a
 *                      null value and that note
 * @param note          added to each of its figures that has no verdict to carry; may be null
 */
record BridgePath(String label, Transport transport, BenchSystem.Route route, List<Workload> workloads,
                  Map<Workload, String> notApplicable, String note) {
    static final String NOT_MEASURED = "not measured yet";

    BridgePath {
        if ((transport == null) == (route == null)) {
            throw new IllegalArgumentException(label + ": a transport or a route, not both or neither");
        }
        workloads = List.copyOf(workloads);
        notApplicable = Map.copyOf(notApplicable);
    }

    /** Two JVMs, a server and a client, joined by {@code transport}. */
    static BridgePath pair(String label, Transport transport, List<Workload> workloads, String note) {
        return new BridgePath(label, transport, null, workloads, Map.of(), note);
    }

    /** Ping and pong in a real Atomic, calling by {@code route}. */
    static BridgePath booted(String label, BenchSystem.Route route, List<Workload> workloads,
                             Map<Workload, String> notApplicable) {
        return new BridgePath(label, null, route, workloads, notApplicable, null);
    }

    boolean booted() {
        return route != null;
    }

    boolean runs(Workload workload) {
        return workloads.contains(workload) && !notApplicable.containsKey(workload);
    }

    Measurement measure(Workload workload, Counts counts) throws Exception {
        return booted() ? AtomicRun.run(new BenchSystem(route, workload, counts))
                : Runner.run(transport, workload, counts);
    }

    /** Why a workload of this path has no outcome: it does not apply, or it was not measured. */
    String whyNone(Workload workload) {
        return notApplicable.getOrDefault(workload, NOT_MEASURED);
    }

    String figureName(Workload workload, Metric metric) {
        return label + ": " + workload.label() + ", " + metric.label();
    }
}
