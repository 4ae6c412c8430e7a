package dev.atomic.engine;

import dev.atomic.system.Descriptors;
import dev.atomic.system.PidFd;
import dev.atomic.system.SyscallException;
import dev.atomic.system.seccomp.ComponentPolicy;
import dev.atomic.system.seccomp.Notifications;
import dev.atomic.system.seccomp.SandboxPids;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;

/**
 * Decides the system calls components' seccomp filters trap (docs/seccomp.md). A component publishes its listener's
 * descriptor number in its lane segment; the Engine copies the descriptor out of it (pidfd_getfd) and answers its
 * trapped calls on a thread of its own, by {@link ComponentPolicy#decide}: a trapped thread waits, so the answer
 * must not wait for the duty cycle. Each answer is queued for the duty cycle to record in the audit log.
 */
final class SyscallTraps implements AutoCloseable {

    /** @param decideNanos from the trapped call reaching the Engine's thread to its answer */
    record Decided(int slot, Notifications.Outcome outcome, long decideNanos) {
    }

    /**
     * Decisions waiting for the duty cycle, per component. Bounded: a component trapping faster than the duty cycle
     * records waits for room in its own queue (its next trapped call waits with it), and delays nobody else.
     */
    private static final int QUEUED_PER_COMPONENT = 1024;

    private final Map<Integer, BlockingQueue<Decided>> decided = new ConcurrentHashMap<>();
    private final Map<Integer, Notifications> listeners = new ConcurrentHashMap<>();
    private final Runnable onDecided;
    private final WaitingThreads threads = new WaitingThreads("engine-seccomp");

    /** @param onDecided run on a deciding thread after a decision was queued: wakes a sleeping Engine */
    SyscallTraps(Runnable onDecided) {
        this.onDecided = onDecided;
    }

    /**
     * Takes the listener {@code m} published, if it did, and starts answering it; returns why it could not, empty
     * when it did or there was nothing to take. The listener is looked for in the component's process and, should
     * that be a sandbox's launcher, its descendants, and must be a seccomp listener there. A component whose
     * listener was not taken closes it after a while all the same, and its trapped calls then fail with ENOSYS.
     */
    Optional<String> take(Member m) {
        int fd = m.segment.seccompListener();
        if (fd <= 0) {
            return Optional.empty();
        }
        Predicate<Long> holds = pid -> Notifications.isListener(Path.of("/proc", pid.toString(), "fd",
                Integer.toString(fd)));
        // Usually the component's own process: its descendants are listed (a scan of every process) only if not.
        Optional<Long> holder = holds.test(m.pid) ? Optional.of(m.pid) : descendants(m.pid).filter(holds).findFirst();
        if (holder.isEmpty()) {
            return Optional.of("no seccomp listener at descriptor " + fd + " of " + m.label() + ": its trapped calls "
                    + "will fail with ENOSYS");
        }
        Optional<String> refused = copyAndServe(m, holder.get(), fd);
        if (refused.isEmpty()) {
            m.segment.seccompListenerTaken();
        }
        return refused;
    }

    /**
     * A new Engine's side of a failover: takes the listener of a running component from the Sovereign, which kept a
     * copy ({@code fd} in process {@code sovereign}), and answers it from now on; why it could not, else empty.
     */
    Optional<String> takeOver(Member m, long sovereign, int fd) {
        if (!Notifications.isListener(Path.of("/proc", Long.toString(sovereign), "fd", Integer.toString(fd)))) {
            return Optional.of("the Sovereign holds no seccomp listener of " + m.label() + " at descriptor " + fd
                    + ": its trapped calls will fail with ENOSYS");
        }
        return copyAndServe(m, sovereign, fd);
    }

    /** The descriptor number of this Engine's copy of the slot's listener; -1 when it holds none. */
    int listenerFd(int slot) {
        Notifications n = listeners.get(slot);
        return n == null ? -1 : n.fd();
    }

    private Optional<String> copyAndServe(Member m, long holder, int fd) {
        int copy;
        try (PidFd pidFd = PidFd.open(holder)) {
            copy = pidFd.takeFd(fd);
        } catch (SyscallException e) {
            return Optional.of("could not take the seccomp listener of " + m.label() + ": " + e.getMessage());
        }
        if (!Notifications.isListener(Path.of("/proc/self/fd", Integer.toString(copy)))) {
            Descriptors.close(copy);
            return Optional.of("descriptor " + fd + " of " + m.label() + " stopped being a seccomp listener");
        }
        Notifications listener = Notifications.of(copy);
        Notifications previous = listeners.put(m.slot, listener);
        if (previous != null) {
            previous.close();
        }
        SandboxPids sandbox = new SandboxPids(m.pid, listener);
        BlockingQueue<Decided> queue = decided.computeIfAbsent(m.slot,
                slot -> new ArrayBlockingQueue<>(QUEUED_PER_COMPONENT));
        threads.run(() -> {
            Thread.currentThread().setName("engine-seccomp-" + m.spec.id());
            long[] received = new long[1];
            try (listener) {
                listener.serve(n -> {
                    received[0] = System.nanoTime();
                    return ComponentPolicy.decide(n, sandbox);
                }, outcome -> {
                    try {
                        queue.put(new Decided(m.slot, outcome, System.nanoTime() - received[0]));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        listener.stop();
                    }
                    onDecided.run();
                });
            } finally {
                listeners.remove(m.slot, listener);
            }
        });
        return Optional.empty();
    }

    /** Up to {@code max} decisions of one component since the last call, oldest first. */
    void drain(int slot, int max, java.util.function.Consumer<Decided> to) {
        BlockingQueue<Decided> queue = decided.get(slot);
        for (Decided d; max-- > 0 && queue != null && (d = queue.poll()) != null; ) {
            to.accept(d);
        }
    }

    private static Stream<Long> descendants(long pid) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants).map(ProcessHandle::pid);
    }


    /** Stops answering: calls still trapped fail with ENOSYS once the components' own copies are closed too. */
    @Override
    public void close() {
        listeners.values().forEach(Notifications::close);
        listeners.clear();
    }
}
