package dev.atomic.component;

/** Receives one service's events. Runs on the lane thread, in order: keep it quick. */
@FunctionalInterface
public interface EventHandler {
    /**
     * @param count how many events this one stands for: more than 1 when the Engine coalesced a busy source's
     *              events of this method, delivering only the newest
     */
    void onEvent(int method, byte[] event, int count);
}
