package dev.atomic.vault;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The layer an image belongs to; each layer has its own update channel (the seed's update lifecycle). */
public enum Layer {
    SOVEREIGN("quarterly"),
    ENGINE("monthly"),
    SERVICES("monthly"),
    DAK("monthly");

    private final String defaultChannel;

    Layer(String defaultChannel) {
        this.defaultChannel = defaultChannel;
    }

    public String defaultChannel() {
        return defaultChannel;
    }

    /** The name used in manifests and on the command line: {@code sovereign}, {@code engine}, {@code services}, {@code dak}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Layer fromLabel(String label) {
        for (Layer l : values()) {
            if (l.label().equals(label)) {
                return l;
            }
        }
        throw new VaultException("unknown layer '" + label + "' (expected sovereign, engine, services or dak)");
    }

    public static Map<Layer, String> defaultChannels() {
        Map<Layer, String> m = new EnumMap<>(Layer.class);
        for (Layer l : values()) {
            m.put(l, l.defaultChannel);
        }
        return Collections.unmodifiableMap(m);
    }
}
