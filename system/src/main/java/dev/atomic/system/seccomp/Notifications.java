package dev.atomic.system.seccomp;

import dev.atomic.system.Descriptors;
import dev.atomic.system.Errno;
import dev.atomic.system.Poll;
import dev.atomic.system.SyscallException;
import dev.atomic.system.Words;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The receiving end of a filter's user notifications: each call a {@link Action#NOTIFY} rule traps waits, its
 * thread blocked in the kernel, until it is answered here. The listener is a descriptor (from {@link Filter#load()}
 * in the filtered process, or a copy taken with {@code PidFd.takeFd}); this object owns it and closes it.
 * <p>
 * While any copy of the listener is open, a trapped call waits for an answer, however long; once the last copy
 * is closed, waiting and later trapped calls fail with ENOSYS. So the filtered process must not hold a copy itself
 * (it could answer its own calls), and the receiver should keep receiving.
 * <p>
 * One thread may receive while another responds. Stop a loop on another thread with {@link #stop()} or
 * {@link #close()}, not by closing the descriptor under it.
 */
public final class Notifications implements AutoCloseable {
    private static final long SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1;
    private static final int ENOENT = 2;
    private static final int EINTR = 4;
    /** How often a {@link #serve} loop looks at whether it was asked to stop. */
    private static final Duration STOP_CHECK = Duration.ofMillis(100);

    // struct seccomp_notif { u64 id; u32 pid; u32 flags; struct seccomp_data { int nr; u32 arch; u64 ip; u64 args[6]; } }
    private static final long REQ_ID = 0;
    private static final long REQ_PID = 8;
    private static final long REQ_NR = 16;
    private static final long REQ_ARCH = 20;
    private static final long REQ_IP = 24;
    private static final long REQ_ARGS = 32;
    private static final int ARGS = 6;
    /** The kernel's own size of struct seccomp_notif in every version so far; the buffer is cleared to it. */
    private static final long REQ_BYTES = REQ_ARGS + ARGS * 8;
    // struct seccomp_notif_resp { u64 id; s64 val; s32 error; u32 flags; }
    private static final long RESP_ID = 0;
    private static final long RESP_VAL = 8;
    private static final long RESP_ERROR = 16;
    private static final long RESP_FLAGS = 20;

    private final int fd;
    private final MemorySegment request;
    private final MemorySegment response;
    private final Object receiving = new Object();
    private final Object responding = new Object();
    private volatile boolean stopping;
    private boolean serving;
    private boolean closed;
    /** Guarded by both {@code receiving} and {@code responding}. */
    private boolean released;

    private Notifications(int fd, MemorySegment request, MemorySegment response) {
        this.fd = fd;
        this.request = request;
        this.response = response;
    }

    /** Takes ownership of listener descriptor {@code fd}. */
    @SuppressWarnings("restricted") // libseccomp sized both buffers for this kernel; at least REQ_BYTES and 24 bytes
    public static Notifications of(int fd) {
        LibSeccomp.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pointers = arena.allocate(ADDRESS, 2);
            MemorySegment reqPointer = pointers.asSlice(0, ADDRESS.byteSize());
            MemorySegment respPointer = pointers.asSlice(ADDRESS.byteSize(), ADDRESS.byteSize());
            LibSeccomp.check("seccomp_notify_alloc", fd,
                    (int) Words.plain(st -> Words.call(LibSeccomp.NOTIFY_ALLOC, st, reqPointer.address(),
                            respPointer.address())));
            return new Notifications(fd, reqPointer.get(ADDRESS, 0).reinterpret(REQ_BYTES),
                    respPointer.get(ADDRESS, 0).reinterpret(RESP_FLAGS + 4));
        }
    }

    public int fd() {
        return fd;
    }

    /**
     * The next trapped call, waiting at most {@code timeout}; empty when none came, or when the one that did was
     * withdrawn before it could be read (its thread was killed). Throws {@link ListenerHungUpException} once no
     * process uses the filter any more.
     */
    public Optional<Notification> receive(Duration timeout) {
        int millis = (int) Math.clamp(timeout.toMillis(), 0, Integer.MAX_VALUE);
        int revents = Poll.revents(fd, millis);
        if ((revents & Poll.POLLIN) == 0) {
            if ((revents & (Poll.POLLHUP | Poll.POLLERR)) != 0) {
                throw new ListenerHungUpException("no process uses the filter of listener " + fd + " any more");
            }
            return Optional.empty();
        }
        synchronized (receiving) {
            open();
            request.fill((byte) 0); // the kernel refuses a request buffer that is not zeroed
            int rc = LibSeccomp.notifyCall(st -> (int) Words.call(LibSeccomp.NOTIFY_RECEIVE, st, fd,
                    request.address()));
            if (rc == -ENOENT || rc == -EINTR) {
                return Optional.empty();
            }
            LibSeccomp.check("seccomp_notify_receive", fd, rc);
            int arch = request.get(JAVA_INT, REQ_ARCH);
            int nr = request.get(JAVA_INT, REQ_NR);
            long[] args = new long[ARGS];
            for (int i = 0; i < ARGS; i++) {
                args[i] = request.get(JAVA_LONG, REQ_ARGS + i * 8L);
            }
            return Optional.of(new Notification(request.get(JAVA_LONG, REQ_ID), request.get(JAVA_INT, REQ_PID),
                    arch, nr, Seccomp.syscallName(arch, nr), args, request.get(JAVA_LONG, REQ_IP)));
        }
    }

    /**
     * Answers {@code notification}. Returns false when nobody was waiting any more: the thread was killed, or a
     * signal interrupted the call (which the kernel may then restart, trapping it again as a new notification).
     */
    public boolean respond(Notification notification, Decision decision) {
        synchronized (responding) {
            open();
            response.fill((byte) 0);
            response.set(JAVA_LONG, RESP_ID, notification.id());
            response.set(JAVA_LONG, RESP_VAL, 0);
            response.set(JAVA_INT, RESP_ERROR, decision.allowed() ? 0 : -decision.errno());
            response.set(JAVA_INT, RESP_FLAGS, decision.allowed() ? (int) SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0);
            int rc = LibSeccomp.notifyCall(st -> (int) Words.call(LibSeccomp.NOTIFY_RESPOND, st, fd,
                    response.address()));
            if (rc == -ENOENT) {
                return false;
            }
            LibSeccomp.check("seccomp_notify_respond", fd, rc);
            return true;
        }
    }

    /**
     * True while {@code id} is still waiting for an answer. Checked after reading anything about the caller that
     * its pid names (its /proc entries): if the id is still valid, the pid still named that caller when read.
     */
    public boolean isValid(long id) {
        int rc = LibSeccomp.notifyCall(st -> (int) Words.call(LibSeccomp.NOTIFY_ID_VALID, st, fd, id));
        if (rc == 0) {
            return true;
        }
        if (rc == -ENOENT) {
            return false;
        }
        throw new SyscallException("seccomp_notify_id_valid", Long.toString(id), -rc);
    }

    /** One answered notification, for whoever records decisions. */
    public record Outcome(Notification notification, Decision decision, boolean delivered) {
        @Override
        public String toString() {
            return notification + ": " + decision + (delivered ? "" : " (the caller was gone)");
        }
    }

    /** Decides a trapped call. A decider that throws has the call denied with EPERM; the loop goes on. */
    @FunctionalInterface
    public interface Decider {
        Decision decide(Notification notification);
    }

    /** Whether a descriptor, named by its {@code /proc/<pid>/fd/<n>} link, is a seccomp listener. */
    public static boolean isListener(java.nio.file.Path fdLink) {
        try {
            return java.nio.file.Files.readSymbolicLink(fdLink).toString().equals("anon_inode:seccomp notify");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Receives, decides and answers until {@link #stop()} or {@link #close()}, or until no process uses the filter
     * any more; each outcome goes to {@code record} after it was answered. Returns how many were answered.
     */
    public long serve(Decider decider, Consumer<Outcome> record) {
        synchronized (this) {
            if (serving || closed) {
                throw new IllegalStateException(closed ? "listener closed" : "already serving");
            }
            serving = true;
        }
        long answered = 0;
        try {
            while (!stopping) {
                Optional<Notification> next;
                try {
                    next = receive(STOP_CHECK);
                } catch (ListenerHungUpException e) {
                    return answered;
                }
                if (next.isPresent()) {
                    Notification n = next.get();
                    Decision decision = decide(decider, n);
                    record.accept(new Outcome(n, decision, respond(n, decision)));
                    answered++;
                }
            }
            return answered;
        } finally {
            synchronized (this) {
                serving = false;
                if (closed) {
                    release();
                }
            }
        }
    }

    private static Decision decide(Decider decider, Notification n) {
        try {
            return decider.decide(n);
        } catch (RuntimeException e) {
            return Decision.deny(Errno.EPERM);
        }
    }

    /** Asks a {@link #serve} loop to return, within about 100 ms. */
    public void stop() {
        stopping = true;
    }

    /**
     * Stops any {@link #serve} loop and closes the listener (once that loop has returned, so its descriptor number is
     * never reused under it). Calls still waiting fail with ENOSYS if this was the last copy of the listener.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        if (!serving) {
            release();
        }
    }

    /** Frees the buffers once no receive or respond is using them; those that come later find the object closed. */
    private void release() {
        synchronized (receiving) {
            synchronized (responding) {
                released = true;
                Words.plain(st -> Words.call(LibSeccomp.NOTIFY_FREE, st, request.address(), response.address()));
                Descriptors.close(fd);
            }
        }
    }

    private void open() {
        if (released) {
            throw new IllegalStateException("listener " + fd + " is closed");
        }
    }
}
