package dev.atomic.bridge;

/**
 * The lane classes, in the order the Engine serves them (the Sovereign's auto-recovery lane comes before all).
 * Each direction of a component's bridge has one ring per class, so a flood on one never queues ahead of another.
 */
public enum Priority {
    /** Input-like events: never coalesced, never behind anything else. */
    CRITICAL("critical"),
    /** Requests and replies. */
    NORMAL("request"),
    /** Bulk data: the transfer lane. */
    BULK("transfer");

    private static final Priority[] ALL = values();

    private final String laneName;

    Priority(String laneName) {
        this.laneName = laneName;
    }

    public String laneName() {
        return laneName;
    }

    /** The class a frame's lane byte names, or null when it names none. */
    public static Priority of(int lane) {
        return lane >= 0 && lane < ALL.length ? ALL[lane] : null;
    }
}
