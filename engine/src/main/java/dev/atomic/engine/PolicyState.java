package dev.atomic.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.policy.Observation;
import dev.atomic.policy.PolicyFault;
import dev.atomic.policy.Recommendation;
import dev.atomic.policy.TunableStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the Engine's policy loop ({@code PolicyLoop}) last wrote beside the fault reports, rewritten each second: the
 * tunables, each component's last observation, each policy's last recommendation about it, the policies' last
 * faults, and what the Engine last did to each component and why ({@code ActionLog}). Read by {@code atomic tunables}
 * and {@code atomic explain}.
 */
public record PolicyState(long timeMillis, List<Tunable> tunables, Map<String, Observation> observations,
                          Map<String, Map<String, Recommendation>> beliefs, List<PolicyFault> faults,
                          Map<String, List<Action>> actions) {
    public static final String FILE = "policy.json";

    public PolicyState {
        actions = actions == null ? Map.of() : actions; // a state written before the Engine kept its actions
    }

    /**
     * Something the Engine did to a component, newest first in {@link #actions}: who decided ({@code engine} for its
     * own rules, else the policy whose word it took), what sort of action, what and why in words; {@code times} it
     * did the same since {@code sinceMillis} (a recurring action is one entry).
     */
    public record Action(long timeMillis, String by, String kind, String what, String why, int times,
                         long sinceMillis) {
    }

    /** A tunable as listed: its bounds and default, its value, and who set it why (null while on its default). */
    public record Tunable(String name, String kind, double min, double max, double safeDefault, String owner,
                          long decaySeconds, double value, String setBy, String reason, long setAtMillis) {
        static Tunable of(TunableStore.Entry e) {
            var t = e.tunable();
            return new Tunable(t.name(), t.kind().name(), t.min(), t.max(), t.safeDefault(), t.owner(),
                    t.decay().toSeconds(), e.value(), e.setBy(), e.reason(), e.setAtMillis());
        }
    }

    /** The state last written in {@code logDir}; null when no policy loop wrote one there. */
    public static PolicyState read(Path logDir) throws IOException {
        Path file = logDir.resolve(FILE);
        return Files.exists(file) ? new ObjectMapper().readValue(file.toFile(), PolicyState.class) : null;
    }
}
