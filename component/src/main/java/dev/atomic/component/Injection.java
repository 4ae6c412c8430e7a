package dev.atomic.component;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A fault {@code atomic inject} puts into a running component, so that anyone can watch what Atomic does about it
 * (docs/console.md). A crash is the Engine's own SIGKILL; the others ask the component's test hook,
 * {@link Component#inject}, to misbehave.
 */
public enum Injection {
    /** The Engine kills the component's process (SIGKILL through its pidfd): a CRASH report, and a restart. */
    CRASH,
    /** Its lane thread stops: no heartbeat, a HANG report once its {@code watch.hang-after} has passed. */
    HANG,
    /** Its resident memory grows until the Engine's leak detector, or its memory limit, stops it. */
    LEAK,
    /** It floods the Engine with frames until storm control throttles it and cuts it off. */
    STORM;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a word names, or an error that lists the four. */
    public static Injection parse(String word) {
        return Arrays.stream(values()).filter(k -> k.word().equals(word)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("a fault to inject is " + Arrays.stream(values()).map(Injection::word)
                        .collect(Collectors.joining(", ")) + ", not '" + word + "'"));
    }
}
