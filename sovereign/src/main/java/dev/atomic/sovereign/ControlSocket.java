package dev.atomic.sovereign;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * {@code <home>/run/<instance>.sock}: how the {@code atomic} command reaches a running Sovereign. One request per
 * connection, a line of text; the answer is lines of text, streamed as the work goes, until the Sovereign closes
 * the connection. The socket is the owner's alone (0600): only who started Atomic can command it.
 */
public final class ControlSocket implements AutoCloseable {
    /** Serves one request; runs on the socket's thread and may block until the work is done. */
    interface Handler {
        void handle(String request, Consumer<String> reply) throws Exception;
    }

    private final Path path;
    private final ServerSocketChannel server;

    private ControlSocket(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    public static Path path(Path home, String instance) {
        return home.resolve("run").resolve(instance + ".sock");
    }

    static ControlSocket open(Path path, Handler handler) throws IOException {
        Files.deleteIfExists(path); // left by a Sovereign that was killed; the instance lock says none runs now
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        ControlSocket socket = new ControlSocket(path, server);
        Thread.ofPlatform().daemon().name("control-socket").start(() -> socket.serve(handler));
        return socket;
    }

    private void serve(Handler handler) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                        StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(client);
                String request = in.readLine();
                if (request == null) {
                    continue;
                }
                handler.handle(request.strip(), line -> {
                    try {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    } catch (IOException gone) {
                        // the asker went away; the work goes on
                    }
                });
            } catch (Exception e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    /** Sends one request to a running Sovereign and passes each line of its answer on; false if none listens. */
    public static boolean ask(Path path, String request, Consumer<String> line) throws IOException {
        if (!Files.exists(path)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            channel.write(java.nio.ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8));
            for (String l; (l = in.readLine()) != null; ) {
                line.accept(l);
            }
            return true;
        } catch (java.net.SocketException refused) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
