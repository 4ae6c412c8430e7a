package dev.atomic.policy.learned;

/**
 * When a score calls for an alarm: at or above its threshold for {@code ticks} ticks in a row. One per component;
 * the same rule in the live policy and in calibration.
 */
public record Alarm(double threshold, int ticks) implements java.io.Serializable {
    /** Per component: how many ticks in a row it has been at or above the threshold. */
    public static final class Run {
        private int above;

        public boolean next(Alarm a, double score) {
            above = score >= a.threshold ? above + 1 : 0;
            return above >= a.ticks;
        }
    }
}
