package dev.atomic.component;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Answers one service's requests. Runs on a worker thread, never on the lane thread. */
@FunctionalInterface
public interface ServiceHandler {
    byte[] handle(int method, byte[] request) throws Exception;

    /**
     * A request whose data was lent in a pool buffer: {@code request} is that memory, read in place; it goes back
     * to the caller once this returns. Override to avoid the copy the default makes.
     */
    default byte[] handleInPlace(int method, MemorySegment request) throws Exception {
        return handle(method, request.toArray(ValueLayout.JAVA_BYTE));
    }
}
