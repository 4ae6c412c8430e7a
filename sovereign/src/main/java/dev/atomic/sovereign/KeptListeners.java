package dev.atomic.sovereign;

import dev.atomic.system.Descriptors;
import dev.atomic.system.PidFd;
import dev.atomic.system.SyscallException;
import dev.atomic.system.seccomp.Notifications;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Sovereign's copies of the components' seccomp listeners (docs/seccomp.md). The Engine holds the one it answers
 * from; when it dies, its copy goes with it, and without another one every trapped call of the component would fail
 * with ENOSYS from then on. So the Sovereign, which outlives Engines, copies each listener out of the Engine that took
 * it (pidfd_getfd: the Engine is its child) and names its copy in the control region, where a new Engine finds it.
 */
final class KeptListeners implements AutoCloseable {
    private record Kept(int fd, long componentPid) {
    }

    private final Map<Integer, Kept> bySlot = new HashMap<>();

    /**
     * Copies the listener the Engine {@code engine} holds at {@code engineFd} for the component {@code componentPid}
     * of {@code slot}; returns this process's descriptor number for it. Throws ({@link SyscallException},
     * {@link IllegalStateException}), saying why, when it cannot.
     */
    synchronized int keep(int slot, long engine, int engineFd, long componentPid) {
        int copy;
        try (PidFd pidFd = PidFd.open(engine)) {
            copy = pidFd.takeFd(engineFd);
        }
        if (!Notifications.isListener(Path.of("/proc/self/fd", Integer.toString(copy)))) {
            Descriptors.close(copy);
            throw new IllegalStateException("descriptor " + engineFd + " of the Engine is no seccomp listener");
        }
        Kept previous = bySlot.put(slot, new Kept(copy, componentPid));
        if (previous != null) {
            Descriptors.close(previous.fd());
        }
        return copy;
    }

    /** The component {@code componentPid} of {@code slot} is gone: true when a copy of its listener was closed. */
    synchronized boolean forget(int slot, long componentPid) {
        Kept kept = bySlot.get(slot);
        if (kept == null || kept.componentPid() != componentPid) {
            return false;
        }
        bySlot.remove(slot);
        Descriptors.close(kept.fd());
        return true;
    }

    @Override
    public synchronized void close() {
        bySlot.values().forEach(k -> Descriptors.close(k.fd()));
        bySlot.clear();
    }
}
