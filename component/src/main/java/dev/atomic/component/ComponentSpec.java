package dev.atomic.component;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the Sovereign needs to start a component and the Engine needs to route for it.
 *
 * @param provides services it answers, by name
 * @param calls    services it may call: its grants; anything else is refused
 */
public record ComponentSpec(String id, Kernel kernel, String kind, String mainClass, List<String> provides,
                            List<String> calls, long memoryMaxBytes, long pidsMax) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public ComponentSpec {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("component id '" + id
                    + "' must be 1-40 characters of a-z, 0-9 and '-', starting with a letter");
        }
        provides = List.copyOf(provides);
        calls = List.copyOf(calls);
    }
}
