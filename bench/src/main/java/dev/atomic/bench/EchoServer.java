package dev.atomic.bench;

import java.io.IOException;

/** The server end of a {@link Transport}: reads each request whole and answers with {@link Workload#REPLY_BYTES}. */
public interface EchoServer extends AutoCloseable {
    /** What the client needs beyond the rendezvous (a TCP port); {@link #NO_ADDRESS} when nothing. */
    String address();

    /** Answers until the client says it is done (or goes away); then returns. */
    void serve() throws IOException;

    @Override
    void close() throws IOException;

    String NO_ADDRESS = "-";
}
