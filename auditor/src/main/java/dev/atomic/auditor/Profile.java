package dev.atomic.auditor;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How much of the host the Engine reserves, after the seed's hardware matrix (see README.md). */
public enum Profile {
    LEAN, FULL, LATENCY, DOMINANCE;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
