package dev.atomic.system.tpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A kernel TPM character device: {@code /dev/tpmrm0} (the in-kernel resource manager, which any number of programs
 * may hold open) or {@code /dev/tpm0}. The kernel's protocol is one write(2) of a whole command, then one read(2)
 * of the whole response.
 */
final class DeviceTransport implements TpmTransport {
    private final FileChannel channel;
    private final Path device;

    DeviceTransport(Path device) throws IOException {
        this.device = device;
        this.channel = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public byte[] transact(byte[] command) throws IOException {
        int written = channel.write(ByteBuffer.wrap(command));
        if (written != command.length) { // the kernel takes a command whole or not at all
            throw new IOException(device + " took " + written + " of " + command.length + " command bytes");
        }
        ByteBuffer response = ByteBuffer.allocate(TpmResponse.MAX_SIZE);
        int read = channel.read(response);
        if (read <= 0) {
            throw new IOException(device + " gave no response");
        }
        return Arrays.copyOf(response.array(), read);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
