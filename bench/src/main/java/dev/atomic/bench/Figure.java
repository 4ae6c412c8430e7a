package dev.atomic.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One number of a results file. A figure with a target compares its value with a baseline figure of the same run
 * ({@code ratio = value / baseline}); {@code met} is computed from that, never written by hand, and is null when
 * there is no target or nothing to compare. A value is null when it was not measured, and the note says why.
 */
@JsonPropertyOrder({"name", "value", "unit", "baseline", "ratio", "target", "met", "note"})
public record Figure(String name, Double value, String unit, Double baseline, Double ratio, String target,
                     Boolean met, String note) {

    /** The same figure with its note extended (after a target's verdict, what it was judged on). */
    Figure withNote(String more) {
        return new Figure(name, value, unit, baseline, ratio, target, met, note == null ? more : note + "; " + more);
    }

    /** For information only: no target. */
    static Figure info(String name, Double value, String unit, String note) {
        return new Figure(name, value, unit, null, null, null, null, note);
    }
}
