package dev.atomic.policy;

import java.util.List;

/** What a policy decided in one round: tunables to set and actions to recommend, each with its reason. */
public record Decision(List<Setting> settings, List<Recommendation> recommendations) {
    public static final Decision NONE = new Decision(List.of(), List.of());

    /** A value proposed for a tunable. */
    public record Setting(String tunable, double value, String reason) {
    }

    public Decision {
        settings = settings == null ? List.of() : List.copyOf(settings);
        recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
    }

    public static Decision recommend(List<Recommendation> recommendations) {
        return new Decision(List.of(), recommendations);
    }
}
