package dev.atomic.component;

/** Receives one service's events. Runs on the lane thread, in order: keep it quick. */
@FunctionalInterface
public interface EventHandler {
    /**
     * @param count how many events this one stands for: more than 1 when the Engine coalesced a busy source's
     *              events of this method, delivering only the newest
     */
    void onEvent(int method, byte[] event, int count);

    /**
     * The same, with the times a critical event carries (docs/bridge-protocol.md, EVENT), {@code System.nanoTime()}
     * of the host, 0 where not said: when its source sent it and when the Engine passed it on. What splits its
     * latency into the hop to the Engine and the hop from it.
     */
    default void onEvent(int method, byte[] event, int count, long sentNanos, long forwardedNanos) {
        onEvent(method, event, count);
    }
}
