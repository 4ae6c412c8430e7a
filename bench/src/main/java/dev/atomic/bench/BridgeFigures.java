package dev.atomic.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns outcomes into figures: those with a target first (judged), then every other one, path by path. */
final class BridgeFigures {
    private BridgeFigures() {
    }

    /** A key for one path under one workload. */
    record Run(BridgePath path, Workload workload) {
    }

    static List<Figure> build(List<BridgePath> paths, Map<Run, Outcome> outcomes, Map<String, Target> targets) {
        Map<String, Figure> plain = new LinkedHashMap<>();
        Map<String, Double> values = new HashMap<>();
        for (BridgePath path : paths) {
            for (Workload workload : path.workloads()) {
                Outcome outcome = outcomes.getOrDefault(new Run(path, workload), Outcome.none(path.whyNone(workload)));
                for (Metric metric : Metric.of(workload)) {
                    String name = path.figureName(workload, metric);
                    Double value = outcome.measurement() == null ? null : metric.of(outcome.measurement());
                    values.put(name, value);
                    plain.put(name, Figure.info(name, value, metric.unit(),
                            value == null ? outcome.whyNone() : path.note()));
                }
            }
        }
        List<Figure> figures = new ArrayList<>();
        targets.forEach((name, target) -> {
            Figure f = plain.remove(name);
            if (f == null || !values.containsKey(target.baseline())) {
                throw new IllegalStateException("a target names a figure no path reports: " + name + " vs "
                        + target.baseline());
            }
            figures.add(target.judge(name, f.value(), f.unit(), values.get(target.baseline()), f.note()));
        });
        figures.addAll(plain.values());
        return figures;
    }
}
