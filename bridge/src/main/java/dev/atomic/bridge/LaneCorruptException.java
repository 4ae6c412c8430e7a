package dev.atomic.bridge;

/**
 * A ring's bytes are not a sequence of well-formed records: its producer is broken or hostile. The consumer must
 * stop reading that ring and have it reset with the producer stopped.
 */
public final class LaneCorruptException extends RuntimeException {
    LaneCorruptException(String message) {
        super(message, null, false, false);
    }
}
