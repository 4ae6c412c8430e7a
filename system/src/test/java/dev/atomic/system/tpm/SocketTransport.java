package dev.atomic.system.tpm;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The tests' way to a TPM: a TCP socket carrying raw command bytes, as {@code swtpm socket --server type=tcp}
 * takes them. A stream has no message boundaries, so the response is read by the size in its header.
 */
public final class SocketTransport implements TpmTransport {
    private static final int TIMEOUT_MILLIS = 10_000;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public SocketTransport(InetSocketAddress address) throws IOException {
        socket = new Socket();
        try {
            socket.connect(address, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public byte[] transact(byte[] command) throws IOException {
        out.write(command);
        out.flush();
        byte[] header = new byte[TpmResponse.HEADER_SIZE];
        in.readFully(header);
        int size = ByteBuffer.wrap(header).getInt(2);
        if (size < TpmResponse.HEADER_SIZE || size > TpmResponse.MAX_SIZE) {
            throw new IOException("TPM at " + socket.getRemoteSocketAddress() + " sent a response of " + size
                    + " bytes (a TPM 2.0 response is 10 to " + TpmResponse.MAX_SIZE + ")");
        }
        byte[] response = Arrays.copyOf(header, size);
        in.readFully(response, header.length, size - header.length);
        return response;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
