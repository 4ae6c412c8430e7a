package dev.atomic.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Paths (d) and (e), the kernel's IPC: a blocking {@link SocketChannel}; the server reads each request whole and
 * answers with its first {@link Workload#REPLY_BYTES}.
 * Messages carry no header: both ends know the run's payload size, which spares the sockets the 40-byte frame
 * header the ring carries (the baselines are, if anything, flattered).
 */
abstract sealed class SocketTransport implements Transport {

    static final class Unix extends SocketTransport {
        @Override
        public String id() {
            return "unix";
        }

        /** A fresh directory for the socket file, removed after the run. */
        @Override
        public Rendezvous prepare(int payloadBytes) throws IOException {
            Path dir = Files.createTempDirectory("atomic-bench-");
            Path socket = dir.resolve("echo.sock");
            return new Rendezvous(List.of(socket.toString()), () -> {
                Files.deleteIfExists(socket);
                Files.delete(dir);
            });
        }

        @Override
        public EchoServer bind(List<String> rendezvous, int payloadBytes) throws IOException {
            ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listener.bind(UnixDomainSocketAddress.of(rendezvous.getFirst()));
            return new Server(listener, EchoServer.NO_ADDRESS, payloadBytes);
        }

        @Override
        public Endpoint connect(List<String> rendezvous, String serverAddress, int payloadBytes) throws IOException {
            return new Client(SocketChannel.open(UnixDomainSocketAddress.of(rendezvous.getFirst())), payloadBytes);
        }
    }

    static final class Tcp extends SocketTransport {
        @Override
        public String id() {
            return "tcp";
        }

        @Override
        public Rendezvous prepare(int payloadBytes) {
            return Rendezvous.none();
        }

        /** Binds an ephemeral loopback port and tells the client which. */
        @Override
        public EchoServer bind(List<String> rendezvous, int payloadBytes) throws IOException {
            ServerSocketChannel listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            return new Server(listener, Integer.toString(port), payloadBytes);
        }

        @Override
        public Endpoint connect(List<String> rendezvous, String serverAddress, int payloadBytes) throws IOException {
            SocketChannel channel = SocketChannel.open(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(serverAddress)));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new Client(channel, payloadBytes);
        }
    }

    private static final class Server implements EchoServer {
        private final ServerSocketChannel listener;
        private final String address;
        private final ByteBuffer request;
        private final ByteBuffer reply;

        Server(ServerSocketChannel listener, String address, int payloadBytes) {
            this.listener = listener;
            this.address = address;
            this.request = ByteBuffer.allocateDirect(payloadBytes);
            this.reply = request.slice(0, Workload.REPLY_BYTES);
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public void serve() throws IOException {
            try (SocketChannel channel = listener.accept()) {
                if (channel.getLocalAddress() instanceof InetSocketAddress) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                while (readFully(channel, request)) {
                    writeFully(channel, reply);
                }
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    private static final class Client implements Endpoint {
        private final SocketChannel channel;
        private final ByteBuffer request;
        private final ByteBuffer reply;

        Client(SocketChannel channel, int payloadBytes) {
            this.channel = channel;
            this.request = ByteBuffer.allocateDirect(payloadBytes);
            this.reply = ByteBuffer.allocateDirect(Workload.REPLY_BYTES);
        }

        @Override
        public void send() throws IOException {
            writeFully(channel, request);
        }

        @Override
        public void receive() throws IOException {
            if (!readFully(channel, reply)) {
                throw new EOFException("the echo server closed the connection");
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Fills {@code buffer} from its start; false on a clean end of stream before the first byte. */
    private static boolean readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        buffer.clear();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("stream ended in the middle of a message");
            }
        }
        return true;
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        buffer.clear();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
