package dev.atomic.bench;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A target as data, with an optional word on why that is the target here. Either relative, "at most {@code bound}
 * times the figure named {@code baseline}", or absolute, "at most {@code bound} {@code unit}" ({@code baseline} is
 * then null). Only an absolute target may be zero ("no message lost"). Most targets are ceilings (a time, a cost);
 * a figure where more is better (a detector's recall, a warning's lead) has a floor: at least, or more than.
 */
record Target(double bound, String baseline, String unit, String context, Direction direction) {
    /** Which side of the bound meets the target. */
    enum Direction {
        AT_MOST("<= "), AT_LEAST(">= "), MORE_THAN("> ");

        final String sign;

        Direction(String sign) {
            this.sign = sign;
        }

        boolean meets(double value, double bound) {
            return switch (this) {
                case AT_MOST -> value <= bound;
                case AT_LEAST -> value >= bound;
                case MORE_THAN -> value > bound;
            };
        }
    }

    Target(double bound, String baseline, String unit, String context) {
        this(bound, baseline, unit, context, Direction.AT_MOST);
    }

    Target {
        if ((baseline == null) == (unit == null)) {
            throw new IllegalArgumentException("a target is relative to a baseline figure or absolute in a unit");
        }
        if (!(bound > 0) && !(bound == 0 && baseline == null)) {
            throw new IllegalArgumentException("a bound must be positive (or zero, for an absolute one): " + bound);
        }
    }

    static Target atMost(double bound, String baseline) {
        return new Target(bound, baseline, null, null);
    }

    /** At least {@code bound} times the baseline figure: for a figure where more is better. */
    static Target atLeast(double bound, String baseline) {
        return new Target(bound, baseline, null, null, Direction.AT_LEAST);
    }

    /** More than {@code bound} times the baseline figure. */
    static Target moreThan(double bound, String baseline) {
        return new Target(bound, baseline, null, null, Direction.MORE_THAN);
    }

    /** More than {@code bound} in {@code unit}. */
    static Target above(double bound, String unit) {
        return new Target(bound, null, unit, null, Direction.MORE_THAN);
    }

    /** At most {@code bound} in {@code unit}, whatever else the run measured. */
    static Target absolute(double bound, String unit) {
        return new Target(bound, null, unit, null);
    }

    boolean isAbsolute() {
        return baseline == null;
    }

    Target because(String why) {
        return new Target(bound, baseline, unit, why, direction);
    }

    String text() {
        return direction.sign + (isAbsolute() ? plain(bound) + " " + unit : twoDigits(bound) + "x " + baseline)
                + (context == null ? "" : " (" + context + ")");
    }

    /**
     * Judges {@code value} against the baseline's value, or for an absolute target against the bound itself: such a
     * figure has no baseline and no ratio.
     *
     * @param baselineValue ignored for an absolute target
     * @param whyNoValue    the note when {@code value} is null (not measured yet, or failed and why)
     */
    Figure judge(String name, Double value, String unit, Double baselineValue, String whyNoValue) {
        if (isAbsolute()) {
            if (!this.unit.equals(unit)) {
                throw new IllegalArgumentException(name + " is in " + unit + ", its target in " + this.unit);
            }
            return value == null ? new Figure(name, null, unit, null, null, text(), null, whyNoValue)
                    : new Figure(name, value, unit, null, null, text(), direction.meets(value, bound),
                    absoluteVerdict(value));
        }
        if (value == null) {
            return new Figure(name, null, unit, baselineValue, null, text(), null, whyNoValue);
        }
        if (baselineValue != null && baselineValue == 0 && direction != Direction.AT_MOST) {
            boolean met = direction.meets(value, 0);
            return new Figure(name, value, unit, baselineValue, null, text(), met, plain(significant(value)) + " "
                    + unit + " against " + baseline + " of 0: " + (met ? "meets" : "short of") + " the target");
        }
        if (baselineValue == null || baselineValue <= 0) {
            return new Figure(name, value, unit, baselineValue, null, text(), null,
                    "no baseline to compare with: " + baseline + " was not measured");
        }
        double ratio = value / baselineValue;
        boolean met = direction.meets(ratio, bound);
        return new Figure(name, value, unit, baselineValue, significant(ratio), text(), met, verdict(ratio));
    }

    /** "0.4x, within the 1.0x target" or "1.9x, 27% over the 1.5x target". */
    String verdict(double ratio) {
        String r = twoDigits(ratio) + "x, ";
        if (direction != Direction.AT_MOST) {
            return ratioBeside(ratio) + "x, " + (direction.meets(ratio, bound) ? "meets" : "short of") + " the " + direction.sign
                    + twoDigits(bound) + "x target";
        }
        if (ratio <= bound) {
            return r + "within the " + twoDigits(bound) + "x target";
        }
        // Rounded up: a miss is never reported as smaller than it is (nor as 0% over).
        long over = (long) Math.ceil((ratio / bound - 1) * 100 - 1e-6);
        return r + over + "% over the " + twoDigits(bound) + "x target";
    }

    /** "12.5 ms, within the 100 ms target" or "130 ms, 30% over the 100 ms target". */
    String absoluteVerdict(double value) {
        String v = plain(significant(value)) + " " + unit + ", ";
        if (direction != Direction.AT_MOST) {
            return v + (direction.meets(value, bound) ? "meets" : "short of") + " the " + direction.sign
                    + plain(bound) + " " + unit + " target";
        }
        if (value <= bound) {
            return v + "within the " + plain(bound) + " " + unit + " target";
        }
        if (bound == 0) {
            return v + "the target is 0";
        }
        long over = (long) Math.ceil((value / bound - 1) * 100 - 1e-6);
        return v + over + "% over the " + plain(bound) + " " + unit + " target";
    }

    /** A bound or value as written: 100, 0.5, 12.5. */
    private static String plain(double x) {
        return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    /** Two significant digits, which is all a noisy host's ratios can claim: 1.5, 0.25, 0.0056, 27. */
    private static String twoDigits(double x) {
        return BigDecimal.valueOf(x).round(new MathContext(2)).toPlainString();
    }

    /**
     * A ratio in two significant digits, or three where two would read as the bound itself: 1.04 against a floor of
     * 1.0 is "1.04", never "1.0x, meets the > 1.0x target" (a ceiling's verdict says how far over instead).
     */
    private String ratioBeside(double ratio) {
        String two = twoDigits(ratio);
        return two.equals(twoDigits(bound)) && ratio != bound
                ? BigDecimal.valueOf(ratio).round(new MathContext(3)).toPlainString() : two;
    }

    /** Three significant digits. */
    static double significant(double x) {
        return BigDecimal.valueOf(x).round(new MathContext(3)).doubleValue();
    }
}
