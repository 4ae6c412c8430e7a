package dev.atomic.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The boot benchmark's figures: Atomic's time to ready (console answering), judged against issue 6's 3 s, with the
 * plain systemd-style start of the same JVMs beside it, so that the ratio says what Atomic's guarantees cost; then,
 * for information, the Sovereign's own count and each stage's median.
 */
final class BootFigures {
    private BootFigures() {
    }

    static List<Figure> build(List<BootBench.Boot> atomic, List<Double> plain, int units, String whyAtomic,
                              String whyPlain, List<String> failures) {
        List<Figure> figures = new ArrayList<>();
        List<Double> ready = atomic.stream().map(BootBench.Boot::launchToReadyMs).toList();
        Double value = whyAtomic != null || ready.isEmpty() ? null : median(ready);
        Double baseline = whyPlain != null || plain.isEmpty() ? null : median(plain);
        Figure judged = BootBench.READY.judge(BootBench.READY_FIGURE, value, BootBench.MS, null,
                whyAtomic != null ? whyAtomic : "not measured");
        Double ratio = value == null || baseline == null || baseline <= 0 ? null : Target.significant(value / baseline);
        figures.add(new Figure(judged.name(), judged.value(), judged.unit(), baseline, ratio, judged.target(),
                judged.met(), value == null ? judged.note() : judged.note() + "; median of " + ready.size()
                + " boots (" + list(ready) + " ms), from the launch of 'atomic boot' to its ready line; baseline: "
                + "the plain systemd-style start of the same " + units + " JVMs"
                + (failures.isEmpty() ? "" : "; not counted, " + failures.size() + " failed boot(s): "
                + String.join("; ", failures))));
        figures.add(Figure.info("ready, as the Sovereign counts it (from its start of the boot)",
                whyAtomic != null || atomic.isEmpty() ? null
                        : median(atomic.stream().map(BootBench.Boot::sovereignMs).toList()), BootBench.MS,
                whyAtomic != null ? whyAtomic : "the 'ready in' line's own figure; the rest of the first figure is "
                        + "the command line's JVM starting"));
        figures.add(Figure.info("plain systemd-style start of the same JVMs (the baseline)", baseline, BootBench.MS,
                whyPlain != null ? whyPlain : "median of " + plain.size() + " starts (" + list(plain) + " ms)"));
        for (String stage : BootBench.STAGES) {
            List<Double> times = atomic.stream().map(b -> b.stages().get(stage)).filter(t -> t != null).toList();
            figures.add(Figure.info("stage '" + stage + "' (boot report), median", times.isEmpty() ? null
                    : median(times), BootBench.MS, times.isEmpty() ? "not in the boot reports" : times.size()
                    + " boots"));
        }
        return figures;
    }

    private static double median(List<Double> samples) {
        return Target.significant(IdleFigures.percentile(samples, 50));
    }

    private static String list(List<Double> samples) {
        return samples.stream().map(s -> String.format("%.0f", s)).collect(Collectors.joining(", "));
    }
}
