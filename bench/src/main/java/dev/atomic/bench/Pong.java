package dev.atomic.bench;

import dev.atomic.component.Component;
import dev.atomic.component.ComponentContext;
import dev.atomic.component.ServiceHandler;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The provider of the measured boots. Answers on the lane thread (inline: it never blocks), as the bare ring's
 * server does, and like it replies with the first {@link Workload#REPLY_BYTES} of what it received.
 */
public final class Pong implements Component {
    /** Echo a small request. */
    static final int ROUND_TRIP = 1;
    /** Take a transfer, acknowledge it. */
    static final int TRANSFER = 2;

    @Override
    public void init(ComponentContext context) {
        context.provideInline(BenchSystem.SERVICE, new Handler());
    }

    private static final class Handler implements ServiceHandler {
        /** Where the loads of {@link #handleInPlace} go, so that they are never optimised away. */
        private long sink;

        /** The host already copied the payload out of the ring: that copy is the read. */
        @Override
        public byte[] handle(int method, byte[] request) {
            return method == ROUND_TRIP ? request : Arrays.copyOf(request, Workload.REPLY_BYTES);
        }

        /** Lent in a pool: read in place, one load per cache line, so the data does cross to this CPU. */
        @Override
        public byte[] handleInPlace(int method, MemorySegment request) {
            long sum = 0;
            for (long at = 0; at + Long.BYTES <= request.byteSize(); at += 64) {
                sum += request.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
            }
            sink += sum;
            return request.asSlice(0, Workload.REPLY_BYTES).toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
