package dev.atomic.auditor;

import java.util.List;

/**
 * What the Engine takes from the host.
 *
 * @param engineCpus  sorted; the CPUs the Engine pins to (in shared mode, the ones it prefers)
 * @param bridgeBytes size of the memory bridge (shared memory between the kernels), protected from reclaim
 * @param reasons     one plain sentence per decision, in the order of {@link #PROFILE_REASON} .. {@link #BRIDGE_REASON}
 */
public record Reservation(Profile profile, Mode mode, int engineThreads, List<Integer> engineCpus, long bridgeBytes,
                          List<String> reasons) {

    public static final int PROFILE_REASON = 0;
    public static final int MODE_REASON = 1;
    public static final int THREADS_REASON = 2;
    public static final int CPUS_REASON = 3;
    public static final int BRIDGE_REASON = 4;

    public Reservation {
        engineCpus = engineCpus.stream().sorted().toList();
        reasons = List.copyOf(reasons);
        if (reasons.size() != BRIDGE_REASON + 1) {
            throw new IllegalArgumentException("one reason per decision expected, got " + reasons);
        }
    }
}
