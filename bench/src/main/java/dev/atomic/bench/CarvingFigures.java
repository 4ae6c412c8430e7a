package dev.atomic.bench;

import java.util.ArrayList;
import java.util.List;

/** Turns the two settings of the carving benchmark into figures: the judged ones first, then the information. */
final class CarvingFigures {
    static final String MS = "ms";
    static final String P99_ON = "probe p99, carving on";
    static final String P99_OFF = "probe p99, carving off";
    static final String ON_VS_OFF = "probe p99, carving on vs off";
    static final String STATUS_ON = "CLI status p99, carving on";
    static final String STATUS_OFF = "CLI status p99, carving off";
    static final String STATUS_ON_VS_OFF = "CLI status p99, carving on vs off";
    /** The target for the management plane under pressure, with carving on. */
    static final Target ABSOLUTE = Target.absolute(100, MS);
    /** Carving must make the management plane's p99 at least ten times better. */
    static final Target TEN_TIMES = Target.atMost(0.1, P99_OFF).because("at least 10x better with carving");
    static final Target STATUS_TEN_TIMES = Target.atMost(0.1, STATUS_OFF).because("at least 10x better with carving");

    private CarvingFigures() {
    }

    static List<Figure> build(CarvingSide on, CarvingSide off) {
        List<Figure> figures = new ArrayList<>();
        figures.add(ABSOLUTE.judge(P99_ON, on.millis(99), MS, null, on.whyNone()));
        figures.add(TEN_TIMES.judge(ON_VS_OFF, on.millis(99), MS, off.millis(99), on.whyNone()));
        figures.add(ABSOLUTE.judge(STATUS_ON, on.statusMillis(99), MS, null, statusNote(on)));
        figures.add(STATUS_TEN_TIMES.judge(STATUS_ON_VS_OFF, on.statusMillis(99), MS, off.statusMillis(99),
                statusNote(on)));
        for (CarvingSide side : List.of(on, off)) {
            String why = side.whyNone();
            String label = side.label();
            figures.add(Figure.info("probe p50, " + label, side.millis(50), MS, why));
            figures.add(Figure.info("CLI status p50, " + label, side.statusMillis(50), MS, statusNote(side)));
            if (!side.carve()) {
                figures.add(Figure.info(STATUS_OFF, side.statusMillis(99), MS, statusNote(side)));
            }
            if (!side.carve()) {
                figures.add(Figure.info(P99_OFF, side.millis(99), MS, why));
            }
            figures.add(Figure.info("probe p99.9, " + label, side.millis(99.9), MS, why));
            figures.add(Figure.info("probe max, " + label, side.maxMillis(), MS, why));
            figures.add(Figure.info("probes timed, " + label, side.probes() == null ? null
                    : (double) side.probes().count(), "calls", side.probes() == null ? why
                    : side.failedProbes() + " failed (timed like the others), over " + side.boots() + " boot(s)"));
            figures.add(Figure.info("leaker deaths, " + label, side.probes() == null ? null
                    : (double) side.leakerDeaths(), "deaths", side.probes() == null ? why : leakerNote(side)));
        }
        return figures;
    }

    private static String statusNote(CarvingSide side) {
        if (side.probes() == null) {
            return side.whyNone();
        }
        return side.status() == null || side.status().count() == 0 ? "no status request was timed"
                : side.status().count() + " requests, " + side.failedStatus() + " unanswered (timed like the others)";
    }

    private static String leakerNote(CarvingSide side) {
        String peak = "held at most " + side.leakerPeakMiB() + " MiB of its own memory";
        if (!side.carve()) {
            return peak + (side.leakerPeakMiB() * CarvingSystem.MIB >= Leaker.CAP ? ": its own cap, no limit stopped it"
                    : " (no limit applied; it had not reached its own cap of " + Leaker.CAP / CarvingSystem.MIB
                    + " MiB)");
        }
        if (side.leakerDeaths() == 0) {
            return peak + " under its " + CarvingSystem.LEAKER_LIMIT / CarvingSystem.MIB + " MiB limit; it was never "
                    + "killed";
        }
        return peak + " under its " + CarvingSystem.LEAKER_LIMIT / CarvingSystem.MIB + " MiB limit (the JVM's own "
                + "memory counts too) before the kernel killed it; the Engine restarted it " + side.leakerRestarts()
                + " time(s)" + (side.leakerGivenUp() == 0 ? ""
                : " and gave up on it in " + side.leakerGivenUp() + " of " + side.boots() + " boot(s), its restart "
                + "budget spent");
    }
}
