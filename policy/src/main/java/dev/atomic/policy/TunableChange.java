package dev.atomic.policy;

/**
 * One line of the tunables' log: a value changed, by which policy and why. {@code proposed} differs from {@code to}
 * when the store clamped it; a revert to the default when a value was not refreshed in time is logged with the
 * policy {@link #DECAY}.
 */
public record TunableChange(long timeMillis, String tunable, double from, double to, double proposed, String policy,
                            String reason) {
    public static final String DECAY = "decay";

    public boolean clamped() {
        return Double.compare(proposed, to) != 0;
    }
}
