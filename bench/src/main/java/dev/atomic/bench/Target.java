package dev.atomic.bench;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A target as data: "at most {@code bound} times the figure named {@code baseline}", with an optional word on why
 * that is the target here.
 */
record Target(double bound, String baseline, String context) {
    Target {
        if (!(bound > 0)) {
            throw new IllegalArgumentException("a bound must be positive: " + bound);
        }
    }

    static Target atMost(double bound, String baseline) {
        return new Target(bound, baseline, null);
    }

    Target because(String why) {
        return new Target(bound, baseline, why);
    }

    String text() {
        return "<= " + twoDigits(bound) + "x " + baseline + (context == null ? "" : " (" + context + ")");
    }

    /**
     * Judges {@code value} against the baseline's value.
     *
     * @param whyNoValue the note when {@code value} is null (not measured yet, or failed and why)
     */
    Figure judge(String name, Double value, String unit, Double baselineValue, String whyNoValue) {
        if (value == null) {
            return new Figure(name, null, unit, baselineValue, null, text(), null, whyNoValue);
        }
        if (baselineValue == null || baselineValue <= 0) {
            return new Figure(name, value, unit, baselineValue, null, text(), null,
                    "no baseline to compare with: " + baseline + " was not measured");
        }
        double ratio = value / baselineValue;
        boolean met = ratio <= bound;
        return new Figure(name, value, unit, baselineValue, significant(ratio), text(), met, verdict(ratio));
    }

    /** "0.4x, within the 1.0x target" or "1.9x, 27% over the 1.5x target". */
    String verdict(double ratio) {
        String r = twoDigits(ratio) + "x, ";
        if (ratio <= bound) {
            return r + "within the " + twoDigits(bound) + "x target";
        }
        // Rounded up: a miss is never reported as smaller than it is (nor as 0% over).
        long over = (long) Math.ceil((ratio / bound - 1) * 100 - 1e-6);
        return r + over + "% over the " + twoDigits(bound) + "x target";
    }

    /** Two significant digits, which is all a noisy host's ratios can claim: 1.5, 0.25, 0.0056, 27. */
    private static String twoDigits(double x) {
        return BigDecimal.valueOf(x).round(new MathContext(2)).toPlainString();
    }

    /** Three significant digits. */
    static double significant(double x) {
        return BigDecimal.valueOf(x).round(new MathContext(3)).doubleValue();
    }
}
