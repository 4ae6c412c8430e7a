package dev.atomic.component;

/** A component's own account of whether it can do its work: {@link #OK}, or failing with a reason. */
public record Health(boolean ok, String detail) {
    public static final Health OK = new Health(true, "ok");

    public Health {
        if (detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("a health report says why");
        }
    }

    public static Health failing(String why) {
        return new Health(false, why);
    }
}
