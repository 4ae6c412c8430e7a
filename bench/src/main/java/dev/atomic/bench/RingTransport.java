package dev.atomic.bench;

import dev.atomic.bridge.Frame;
import dev.atomic.bridge.Lane;
import dev.atomic.bridge.LaneSegment;
import dev.atomic.system.SharedMemory;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.List;

/**
 * Path (c), the floor: one lane segment shared by client and server, nobody in between. The client writes
 * requests on the inbound lane and reads replies on the outbound lane, the way a component talks to the Engine.
 * Payloads are copied into the ring and out of it on both sides, as a component that owns what it receives does;
 * the server answers with the first {@link Workload#REPLY_BYTES} of its copy.
 */
final class RingTransport implements Transport {
    // Agrona caps a record at an eighth of the ring: 1 MiB rings carry a 64 KiB payload plus its header.
    private static final int CAPACITY = 1 << 20;
    private static final int SLOT = 1;
    // The bare ring speaks no Engine protocol: three record types of its own (Agrona wants them positive).
    private static final int REQUEST = 1;
    private static final int REPLY = 2;
    private static final int STOP = 3;

    private final String id;
    private final Waiting waiting;

    RingTransport(String id, Waiting waiting) {
        this.id = id;
        this.waiting = waiting;
    }

    @Override
    public String id() {
        return id;
    }

    /** The harness creates the memory, as the Sovereign does for Atomic's lanes; both ends map it by path. */
    @Override
    public Rendezvous prepare(int payloadBytes) {
        SharedMemory memory = SharedMemory.create("atomic-bench-ring", LaneSegment.sizeFor(CAPACITY));
        LaneSegment.format(memory, SLOT, CAPACITY);
        return new Rendezvous(List.of(memory.procPath().toString()), memory::close);
    }

    @Override
    public EchoServer bind(List<String> rendezvous, int payloadBytes) {
        return new Server(SharedMemory.open(Path.of(rendezvous.getFirst())), payloadBytes);
    }

    @Override
    public Endpoint connect(List<String> rendezvous, String serverAddress, int payloadBytes) {
        return new Client(SharedMemory.open(Path.of(rendezvous.getFirst())), payloadBytes);
    }

    private final class Server implements EchoServer {
        private final SharedMemory memory;
        private final LaneSegment segment;
        private final UnsafeBuffer copy;
        private final MessageHandler onFrame = this::onFrame;
        private boolean stopped;

        Server(SharedMemory memory, int payloadBytes) {
            this.memory = memory;
            this.segment = LaneSegment.attach(memory);
            this.copy = new UnsafeBuffer(new byte[payloadBytes]);
        }

        @Override
        public String address() {
            return NO_ADDRESS;
        }

        @Override
        public void serve() {
            Lane requests = segment.inbound();
            int emptyPolls = 0;
            while (!stopped) {
                if (requests.poll(onFrame, 1) == 0) {
                    emptyPolls = waiting.idle(requests, emptyPolls);
                } else {
                    emptyPolls = 0;
                }
            }
        }

        private void onFrame(int type, MutableDirectBuffer b, int index, int length) {
            if (type == STOP) {
                stopped = true;
                return;
            }
            int n = Frame.payloadLength(b, index);
            b.getBytes(index + Frame.HEADER_LENGTH, copy, 0, n);
            long correlation = Frame.correlation(b, index);
            while (!segment.outbound().offer(REPLY, 0, SLOT, 0, 0, correlation, 0, copy, 0, Workload.REPLY_BYTES)) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    private final class Client implements Endpoint {
        private final SharedMemory memory;
        private final LaneSegment segment;
        private final UnsafeBuffer request;
        private final UnsafeBuffer reply;
        private final MessageHandler onReply = this::onReply;
        private long correlation;

        Client(SharedMemory memory, int payloadBytes) {
            this.memory = memory;
            this.segment = LaneSegment.attach(memory);
            this.request = new UnsafeBuffer(new byte[payloadBytes]);
            this.reply = new UnsafeBuffer(new byte[Workload.REPLY_BYTES]);
        }

        @Override
        public void send() {
            long c = ++correlation;
            while (!segment.inbound().offer(REQUEST, SLOT, 0, 0, 0, c, 0, request, 0, request.capacity())) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void receive() {
            Lane replies = segment.outbound();
            int emptyPolls = 0;
            while (replies.poll(onReply, 1) == 0) {
                emptyPolls = waiting.idle(replies, emptyPolls);
            }
        }

        private void onReply(int type, MutableDirectBuffer b, int index, int length) {
            b.getBytes(index + Frame.HEADER_LENGTH, reply, 0, Frame.payloadLength(b, index));
        }

        @Override
        public void close() {
            try {
                segment.inbound().offer(STOP, SLOT, 0, 0, 0, 0, 0, request, 0, 0);
            } finally {
                memory.close();
            }
        }
    }
}
