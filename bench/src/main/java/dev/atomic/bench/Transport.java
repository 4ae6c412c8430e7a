package dev.atomic.bench;

import java.io.IOException;
import java.util.List;

/**
 * One way for two processes to do request/reply: a path the bridge benchmark compares. Each end runs in its own
 * JVM, started by the harness; the three methods run in three different processes.
 * <ol>
 *   <li>{@link #prepare} in the harness, before either end starts: what both ends share (shared memory, a socket
 *       path; for a brokered path, the Engine and its lane segments). Its arguments reach both ends.</li>
 *   <li>{@link #bind} in the server JVM: attach or listen, then answer every request (see {@link EchoServer}).</li>
 *   <li>{@link #connect} in the client JVM, once the server said it is ready.</li>
 * </ol>
 */
public interface Transport {
    /** Stable name on the child JVMs' command lines; see {@link Transports}. */
    String id();

    /** Harness side; runs once per measured run, closed when both ends have exited. */
    Rendezvous prepare(int payloadBytes) throws IOException;

    /** Server JVM side. */
    EchoServer bind(List<String> rendezvous, int payloadBytes) throws IOException;

    /** Client JVM side; {@code serverAddress} is what the server's {@link EchoServer#address()} returned. */
    Endpoint connect(List<String> rendezvous, String serverAddress, int payloadBytes) throws IOException;
}
