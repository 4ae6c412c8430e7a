package dev.atomic.engine;

import dev.atomic.policy.Decision;
import dev.atomic.policy.Observation;
import dev.atomic.policy.Policy;
import dev.atomic.policy.sizing.LearnedSizing;
import dev.atomic.policy.sizing.Measure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Policy 3 in the running Engine: {@link LearnedSizing} on the system's components, each size rounded up to a step
 * ({@link #MEMORY_STEP}, {@link #CPU_STEP}; never past the manifest's ceiling), so that a steady component's limit is
 * not rewritten, nor logged, every second for a few kilobytes. Rounding up only adds room.
 */
final class LiveSizing implements Policy {
    static final double MEMORY_STEP = 4 << 20;
    static final double CPU_STEP = 0.05;

    private final ForMembers sizing;
    /** Per component, its last observation: where its ceilings are read. */
    private final Map<String, Observation> last = new HashMap<>();

    LiveSizing(LearnedSizing sizing, Set<String> members) {
        this.sizing = new ForMembers(sizing, members);
    }

    @Override
    public String name() {
        return sizing.name();
    }

    @Override
    public void observe(Observation o) {
        last.put(o.component(), o);
        sizing.observe(o);
    }

    @Override
    public Decision decide(long nowMillis) {
        Decision d = sizing.decide(nowMillis);
        List<Decision.Setting> rounded = d.settings().stream().map(this::rounded).toList();
        return new Decision(rounded, d.recommendations());
    }

    private Decision.Setting rounded(Decision.Setting s) {
        for (Measure m : Measure.values()) {
            String prefix = m.tunable + ".";
            Observation o = s.tunable().startsWith(prefix) ? last.get(s.tunable().substring(prefix.length())) : null;
            if (o != null) {
                double step = m == Measure.MEMORY ? MEMORY_STEP : CPU_STEP;
                double up = Math.max(s.value(), Math.min(m.ceiling(o), Math.ceil(s.value() / step) * step));
                return new Decision.Setting(s.tunable(), up, up == s.value() ? s.reason()
                        : s.reason() + "; rounded up to " + m.say(up));
            }
        }
        return s;
    }
}
