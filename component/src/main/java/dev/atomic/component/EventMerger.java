package dev.atomic.component;

import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Coalescing at the source. While the Engine sets this component a window (its lane segment, offset 192), ordinary
 * events of one (service, method) emitted within it are merged before they reach the lane: the frame written when the
 * window ends carries the newest payload, how many events it stands for (its {@code status}, as the Engine's own
 * coalesced frames do) and when the oldest was emitted (its {@code correlation}). So a busy source costs the Engine one
 * frame a window, not one an event; no event waits past its window unless the lane is full. Critical events never
 * come here.
 */
final class EventMerger implements AutoCloseable {
    /** Writes one EVENT frame on the normal lane: false when the lane is full. */
    interface Writer {
        boolean write(int serviceId, int method, UnsafeBuffer payload, int count, long since);
    }

    /** How soon a merged event is tried again when the lane was full at its window's end. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final class Held {
        final int serviceId;
        final int method;
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        byte[] payload = new byte[64];
        int length;
        int count;
        long since;
        long due;

        Held(int serviceId, int method) {
            this.serviceId = serviceId;
            this.method = method;
        }
    }

    private final LongSupplier windowNanos;
    private final Writer writer;
    /** Guarded by this: every (service, method) ever merged, and its events held now. */
    private final Long2ObjectHashMap<Held> held = new Long2ObjectHashMap<>();
    private Thread flusher;
    /** When the flusher wakes next (Long.MAX_VALUE: when told). Guarded by this. */
    private long flusherDue = Long.MAX_VALUE;
    private boolean closed;

    /** @param windowNanos the window the Engine sets now (0: write every event at once) */
    EventMerger(LongSupplier windowNanos, Writer writer) {
        this.windowNanos = windowNanos;
        this.writer = writer;
    }

    /** False only when the event went straight to a full lane; a merged event is always taken. */
    boolean emit(int serviceId, int method, byte[] event) {
        long window = windowNanos.getAsLong();
        synchronized (this) {
            if (closed) {
                window = 0; // nothing flushes any more: written at once
            }
            long key = ((long) serviceId << 32) | (method & 0xFFFFFFFFL);
            Held h = held.get(key);
            long now = System.nanoTime();
            if (h != null && h.count > 0 && now - h.due >= 0) {
                write(h); // its window is over (the flusher is late): out before anything newer
            }
            if (window <= 0 && (h == null || h.count == 0)) {
                return writer.write(serviceId, method, new UnsafeBuffer(event), 1, 0);
            }
            if (h == null) {
                h = new Held(serviceId, method);
                held.put(key, h);
            }
            if (h.count == 0) {
                h.since = now;
                h.due = now + window;
                if (flusherDue == Long.MAX_VALUE || h.due - flusherDue < 0) {
                    wakeFlusher(h.due);
                }
            }
            if (h.payload.length < event.length) {
                h.payload = new byte[event.length];
            }
            System.arraycopy(event, 0, h.payload, 0, event.length);
            h.length = event.length;
            if (++h.count == Integer.MAX_VALUE) {
                write(h);
            }
            return true;
        }
    }

    /** Writes every held event now, as far as the lane takes them (the component is stopping). */
    @Override
    public synchronized void close() {
        closed = true;
        held.values().forEach(h -> {
            if (h.count > 0) {
                write(h);
            }
        });
        if (flusher != null) {
            LockSupport.unpark(flusher);
        }
    }

    /** How many events are held now (for tests). */
    synchronized long holding() {
        long n = 0;
        for (Held h : held.values()) {
            n += h.count;
        }
        return n;
    }

    private boolean write(Held h) {
        h.view.wrap(h.payload, 0, h.length);
        if (!writer.write(h.serviceId, h.method, h.view, h.count, h.since)) {
            return false;
        }
        h.count = 0;
        return true;
    }

    private void wakeFlusher(long due) {
        flusherDue = due;
        if (flusher == null || !flusher.isAlive()) {
            // Its context loader is the emitter's: in a partition host, a thread of the component like any other.
            flusher = Thread.ofPlatform().name("event-flusher").daemon().start(this::flushLoop);
        } else {
            LockSupport.unpark(flusher);
        }
    }

    /**
     * Writes each held event at its window's end; sleeps until the next one is due, or a new one is held. Ends when
     * closed, or interrupted (its partition host containing the component).
     */
    private void flushLoop() {
        while (true) {
            long due;
            synchronized (this) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    return;
                }
                long now = System.nanoTime();
                due = Long.MAX_VALUE;
                for (Held h : held.values()) {
                    if (h.count > 0 && now - h.due >= 0 && !write(h)) {
                        h.due = now + RETRY_NANOS;
                    }
                    if (h.count > 0 && (due == Long.MAX_VALUE || h.due - due < 0)) {
                        due = h.due;
                    }
                }
                flusherDue = due;
            }
            if (due == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, due - System.nanoTime());
            }
        }
    }
}
