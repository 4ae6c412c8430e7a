package dev.atomic.policy.sizing;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sizing policy: each component's demand for each {@link Measure}, and each round a size for it, set through its
 * tunable ({@link Measure#tunable}) within the tunable's bounds. Sizes are refreshed every round for the components
 * observed since the last, so a component that went away, or a policy that stopped, decays back to its ceiling.
 */
public abstract class Sizing implements Policy {
    private final Map<String, Map<Measure, Window>> windows = new HashMap<>();
    private final Set<String> fresh = new LinkedHashSet<>();

    /** The demand the component is to be sized for, before the bounds; NaN to say nothing. */
    abstract double need(Measure m, Window w);

    /** Why, in words, after the size itself. */
    abstract String how(Measure m, Window w, double need);

    @Override
    public void observe(Observation o) {
        Map<Measure, Window> mine = windows.computeIfAbsent(o.component(), c -> new EnumMap<>(Measure.class));
        for (Measure m : Measure.values()) {
            mine.computeIfAbsent(m, Window::new).add(o);
        }
        fresh.add(o.component());
    }

    @Override
    public Decision decide(long nowMillis) {
        List<Decision.Setting> settings = new ArrayList<>();
        for (String c : fresh) {
            for (Window w : windows.get(c).values()) {
                Measure m = w.measure();
                Observation o = w.last();
                double ceiling = m.ceiling(o);
                double need = w.ready() && ceiling > 0 ? need(m, w) : Double.NaN;
                if (Double.isFinite(need)) {
                    double size = Math.max(m.floor(o), Math.min(ceiling, need));
                    settings.add(new Decision.Setting(m.tunableOf(c), size, m.said + " " + m.say(size) + " of "
                            + m.say(ceiling) + ": its peak over the last " + Window.TICKS + " s "
                            + m.say(w.peak()) + ", " + how(m, w, need)));
                }
            }
        }
        fresh.clear();
        return new Decision(settings, List.of());
    }
}
