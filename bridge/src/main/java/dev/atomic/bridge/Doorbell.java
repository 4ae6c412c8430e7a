package dev.atomic.bridge;

import dev.atomic.system.Futex;
import dev.atomic.system.FutexSet;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A futex word that lets a lane's consumer sleep when nobody spins, and its producer wake it only when it really
 * sleeps (a producer pays one volatile read otherwise). Several threads of the consuming process may sleep on it at
 * once (a component's lane thread and its callers waiting for replies): {@code waiting} counts them. Layout, one cache line:
 * <pre>
 *   0 int sequence  futex word, bumped by a producer that saw someone waiting
 *   4 int waiting   how many threads are (about to be) asleep on it
 * </pre>
 * No lost wake-up: the consumer publishes {@code waiting} before its last look at the ring, and the producer
 * publishes its record before it reads {@code waiting}; so either the consumer sees the record, or the producer
 * sees the flag and bumps {@code sequence}, which makes the futex wait return at once.
 */
public final class Doorbell {
    public static final int LENGTH = 64;
    private static final int SEQUENCE = 0;
    private static final int WAITING = 4;

    private final AtomicBuffer buffer;
    private final int offset;
    private final MemorySegment segment;

    /** @param buffer the whole shared segment, as an Agrona buffer over {@code segment}; offset is in both */
    public Doorbell(AtomicBuffer buffer, MemorySegment segment, int offset) {
        this.buffer = buffer;
        this.segment = segment;
        this.offset = offset;
    }

    /** The futex word's address and its current value: what a consumer of many doorbells sleeps on. */
    public long sequenceAddress() {
        return segment.address() + offset + SEQUENCE;
    }

    public int sequence() {
        return buffer.getIntVolatile(offset + SEQUENCE);
    }

    /** Consumer side, for a consumer that sleeps on several doorbells at once (the Engine). */
    public void waiting(boolean waiting) {
        buffer.getAndAddInt(offset + WAITING, waiting ? 1 : -1);
    }

    /** A one-time event a waiter may not have reached yet (promoting a standby): bumps the word whoever waits. */
    public void signal() {
        buffer.getAndAddInt(offset + SEQUENCE, 1);
        Futex.wake(segment, offset + SEQUENCE, Integer.MAX_VALUE);
    }

    /** Readies a one-time doorbell for its next use. */
    public void clear() {
        buffer.putIntVolatile(offset + SEQUENCE, 0);
    }

    /** Producer side, after a record was committed. */
    public void ring() {
        VarHandle.fullFence();
        if (buffer.getIntVolatile(offset + WAITING) > 0) {
            buffer.getAndAddInt(offset + SEQUENCE, 1);
            Futex.wake(segment, offset + SEQUENCE, Integer.MAX_VALUE);
        }
    }

    /**
     * Consumer side, for a consumer of several doorbells (the Engine; a provider with fast paths): the same protocol
     * as {@link #await} on every doorbell at once, with futex_waitv.
     */
    public static void awaitAny(FutexSet set, List<Doorbell> bells, long timeoutNanos, BooleanSupplier hasWork) {
        awaitAny(set, bells, s -> { }, timeoutNanos, hasWork);
    }

    /** The same, also woken by the words {@code more} adds (each with the value it is expected to hold). */
    public static void awaitAny(FutexSet set, List<Doorbell> bells, java.util.function.Consumer<FutexSet> more,
                                long timeoutNanos, BooleanSupplier hasWork) {
        set.clear();
        for (Doorbell bell : bells) {
            int seen = bell.sequence();
            bell.waiting(true);
            set.add(bell.sequenceAddress(), seen);
        }
        more.accept(set);
        try {
            if (!hasWork.getAsBoolean()) {
                set.await(timeoutNanos);
            }
        } finally {
            for (Doorbell bell : bells) {
                bell.waiting(false);
            }
        }
    }

    /** Consumer side: sleeps until rung or the timeout, unless {@code hasWork} says there is something to do. */
    public void await(long timeoutNanos, BooleanSupplier hasWork) {
        int seen = buffer.getIntVolatile(offset + SEQUENCE);
        buffer.getAndAddInt(offset + WAITING, 1);
        try {
            if (!hasWork.getAsBoolean()) {
                Futex.await(segment, offset + SEQUENCE, seen, timeoutNanos);
            }
        } finally {
            buffer.getAndAddInt(offset + WAITING, -1);
        }
    }
}
