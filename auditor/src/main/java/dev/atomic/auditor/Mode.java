package dev.atomic.auditor;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether the Engine's CPUs are exclusive to it (partitioned) or only preferred (shared). */
public enum Mode {
    SHARED, PARTITIONED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
