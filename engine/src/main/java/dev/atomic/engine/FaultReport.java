package dev.atomic.engine;

/**
 * What the Engine tells about a fault: which component, in which kernel, what happened, the evidence, and what it
 * did. Written as one line for people and one JSON object for tools.
 */
record FaultReport(long timeMillis, String component, String kernel, Kind kind, String evidence, String action) {
    enum Kind { EXIT, STORM, CORRUPT_LANE, HANG, LEAK, HEALTH }

    /** The same fault with what was done about it, said once the supervisor decided. */
    FaultReport withAction(String action) {
        return new FaultReport(timeMillis, component, kernel, kind, evidence, action);
    }

    String line() {
        return "FAULT " + component + " (" + kernel + "): " + evidence + "; " + action;
    }
}
