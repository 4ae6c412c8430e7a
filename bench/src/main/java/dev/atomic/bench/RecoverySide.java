package dev.atomic.bench;

import java.util.List;

/**
 * One setting of the recovery benchmark: the recovery time of every kill, in ms, from the SIGKILL to the first
 * successful reply the client saw after a failed call.
 *
 * @param note    how the kills went (through the spare, say), for the figures
 * @param whyNone why nothing was measured, or null
 * @param aot     the cold start with the AOT cache against without, when measured (the cold restart's boot)
 */
record RecoverySide(String label, List<Double> recoveries, String note, String whyNone, AotStart aot) {
    RecoverySide {
        recoveries = List.copyOf(recoveries);
    }

    RecoverySide(String label, List<Double> recoveries, String note, String whyNone) {
        this(label, recoveries, note, whyNone, null);
    }

    static RecoverySide none(String label, String why) {
        return new RecoverySide(label, List.of(), null, why);
    }

    Double p50() {
        return IdleFigures.percentile(recoveries, 50);
    }

    Double p90() {
        return IdleFigures.percentile(recoveries, 90);
    }

    Double max() {
        return recoveries.isEmpty() ? null : Target.significant(recoveries.stream().mapToDouble(d -> d).max()
                .orElseThrow());
    }

    String summary() {
        return whyNone != null ? whyNone : String.format("%d kills: recovery p50 %.1f ms, p90 %.1f ms, max %.1f ms%s",
                recoveries.size(), p50(), p90(), max(), note == null ? "" : "; " + note);
    }
}
