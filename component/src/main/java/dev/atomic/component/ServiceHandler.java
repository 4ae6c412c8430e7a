package dev.atomic.component;

/** Answers one service's requests. Runs on a worker thread, never on the lane thread. */
@FunctionalInterface
public interface ServiceHandler {
    byte[] handle(int method, byte[] request) throws Exception;
}
