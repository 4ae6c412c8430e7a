package dev.atomic.engine;

/**
 * What the Engine tells about a fault: which component, in which kernel, what happened, the evidence, and what it
 * did. Written as one line for people and one JSON object for tools.
 */
record FaultReport(long timeMillis, String component, String kernel, Kind kind, String evidence, String action) {
    enum Kind { EXIT, STORM, CORRUPT_LANE }

    String line() {
        return "FAULT " + component + " (" + kernel + "): " + evidence + "; " + action;
    }
}
