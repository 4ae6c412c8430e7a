package dev.atomic.bench;

import java.io.IOException;

/**
 * The client end of a {@link Transport}. Send and receive are separate so a client can keep several requests in
 * flight; a round trip is {@code send(); receive();}. Both must not allocate: they run in the measured loop.
 */
public interface Endpoint extends AutoCloseable {
    /** Sends one request of the run's payload size. */
    void send() throws IOException;

    /** Waits for the next reply and copies its payload out, as a real caller would. */
    void receive() throws IOException;

    /** Tells the server the run is over. */
    @Override
    void close() throws IOException;
}
