package dev.atomic.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The recovery benchmark's figures: p50 and max recovery time for each setting, the warm spare's and the cold
 * restart's p50 judged against the targets, each beside the systemd-style restart's p50 for comparison; and
 * the warm spare's p50 beside its own with the death heard from the pidfd alone.
 */
final class RecoveryFigures {
    static final String MS = "ms";
    static final Target WARM_P50 = Target.absolute(10, MS);
    static final Target COLD_P50 = Target.absolute(150, MS);

    private RecoveryFigures() {
    }

    /** @param pidfd the warm spare with the death heard from the pidfd alone (the host locks off) */
    static List<Figure> build(RecoverySide warm, RecoverySide pidfd, RecoverySide cold, RecoverySide systemd) {
        List<Figure> figures = new ArrayList<>();
        Double baseline = systemd.p50();
        figures.add(compared(WARM_P50.judge("recovery p50, warm spare", warm.p50(), MS, null, warm.whyNone()),
                baseline, warm));
        figures.add(Figure.info("recovery max, warm spare", warm.max(), MS, detail(warm)));
        figures.add(compared(COLD_P50.judge("recovery p50, cold restart (no spare, AOT cache)", cold.p50(), MS, null,
                cold.whyNone()), baseline, cold));
        figures.add(Figure.info("recovery max, cold restart", cold.max(), MS, detail(cold)));
        figures.add(Figure.info("recovery p50, systemd-style restart (the baseline)", baseline, MS, detail(systemd)));
        figures.add(Figure.info("recovery max, systemd-style restart", systemd.max(), MS, detail(systemd)));
        AotStart aot = cold.aot();
        String why = aot == null ? cold.whyNone() != null ? cold.whyNone() : "not measured" : aot.whyNone();
        Double with = aot == null ? null : IdleFigures.percentile(aot.with(), 50);
        Double without = aot == null ? null : IdleFigures.percentile(aot.without(), 50);
        figures.add(new Figure("component host start p50, AOT cache (against the JVM's default class-data sharing)",
                with, MS, without, with == null || without == null || without <= 0 ? null
                : Target.significant(with / without), null, null, why != null ? why : aot.with().size()
                + " starts each way, alternately: the host's own command line up to where it says HELLO"));
        Double heard = warm.p50();
        Double alone = pidfd.p50();
        figures.add(new Figure("recovery p50, warm spare: the death heard from the host lock (against the pidfd alone)",
                heard, MS, alone, heard == null || alone == null || alone <= 0 ? null
                : Target.significant(heard / alone), null, null, detail(pidfd)));
        return figures;
    }

    /** A judged figure with the baseline's p50 beside it, and how the setting went after its verdict. */
    private static Figure compared(Figure judged, Double baseline, RecoverySide side) {
        Double ratio = judged.value() == null || baseline == null || baseline <= 0 ? null
                : Target.significant(judged.value() / baseline);
        String note = side.whyNone() != null ? judged.note() : judged.note() + "; " + detail(side);
        return new Figure(judged.name(), judged.value(), judged.unit(), baseline, ratio, judged.target(), judged.met(),
                note);
    }

    private static String detail(RecoverySide side) {
        if (side.whyNone() != null) {
            return side.whyNone();
        }
        return side.recoveries().size() + " kills, p90 " + side.p90() + " ms" + (side.note() == null ? ""
                : "; " + side.note());
    }
}
