package dev.atomic.policy;

import java.time.Duration;

/**
 * A parameter a policy may set: its bounds, its safe default, who reads it ({@code owner}, such as
 * {@code engine/storm}), and how long a value a policy set holds before it reverts to the default unless the policy
 * sets it again ({@code decay}): a policy that stops, stalls or is removed leaves the system on its defaults.
 */
public record Tunable(String name, Kind kind, double min, double max, double safeDefault, String owner,
                      Duration decay, String description) {

    /** How a value is held and said: whole numbers for all but {@code REAL}. */
    public enum Kind {
        INTEGER(""), REAL(""), MILLIS(" ms"), BYTES(" bytes");

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }

        public String say(double v) {
            // Six significant digits: a CPU quota of 0.35 reads so, not as the double it sums to (0.35000000000000003).
            return (this == REAL ? new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros()
                    .toPlainString() : String.valueOf(Math.round(v))) + suffix;
        }
    }

    public Tunable {
        if (name == null || name.isBlank() || owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("a tunable has a name and an owner");
        }
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max || !(safeDefault >= min && safeDefault <= max)) {
            throw new IllegalArgumentException(name + ": its default " + safeDefault + " must lie in [" + min + ", "
                    + max + "]");
        }
        if (decay == null || decay.isNegative() || decay.isZero()) {
            throw new IllegalArgumentException(name + ": a decay period must be positive");
        }
        description = description == null ? "" : description;
    }

    /** Whether a policy may propose {@code v}: a number within the bounds. */
    public boolean allows(double v) {
        return v >= min && v <= max;
    }

    /** {@code v} brought within the bounds (and to a whole number where the kind says so). */
    public double clamp(double v) {
        if (Double.isNaN(v)) {
            return safeDefault;
        }
        double c = Math.min(max, Math.max(min, v));
        return kind == Kind.REAL ? c : Math.round(c);
    }
}
