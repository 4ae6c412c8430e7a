package dev.atomic.bridge;

import org.agrona.concurrent.MessageHandler;

/**
 * One direction of a bridge: its lanes, most urgent first, and the doorbell of their single consumer.
 * A component's directions have a lane per {@link Priority}; the Sovereign's orders and admin directions one each.
 */
public final class LaneGroup {
    private final Lane[] byPriority = new Lane[Priority.values().length];
    private Lane[] lanes = new Lane[0];
    private final Doorbell doorbell;

    LaneGroup(Doorbell doorbell) {
        this.doorbell = doorbell;
    }

    void add(Lane lane) {
        byPriority[lane.priority().ordinal()] = lane;
        lanes = java.util.Arrays.copyOf(lanes, lanes.length + 1);
        lanes[lanes.length - 1] = lane;
    }

    /** The lane of that class, or null when this direction has none. */
    public Lane lane(Priority p) {
        return byPriority[p.ordinal()];
    }

    public Doorbell doorbell() {
        return doorbell;
    }

    public boolean isEmpty() {
        for (Lane lane : lanes) {
            if (!lane.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads every lane, most urgent first: up to {@code limit} frames from the critical and request lanes, but only
     * a sixteenth of that from the transfer lane, so a critical frame never waits behind a long run of bulk ones.
     */
    public int poll(MessageHandler handler, int limit) {
        int read = 0;
        for (Lane lane : lanes) {
            read += lane.poll(handler, lane.priority() == Priority.BULK ? Math.max(1, limit / 16) : limit);
        }
        return read;
    }

    public void await(long timeoutNanos) {
        doorbell.await(timeoutNanos, () -> !isEmpty());
    }

    void reset() {
        for (Lane lane : lanes) {
            lane.reset();
        }
    }
}
