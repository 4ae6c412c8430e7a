package dev.atomic.engine;

import dev.atomic.system.EventFd;
import dev.atomic.system.PidFd;
import dev.atomic.system.Poll;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Learns of a component's death the moment it happens: one thread blocks in poll(2) on every component's pidfd
 * (readable when the process exits), plus an eventfd that tells it to watch more. No /proc polling.
 */
final class ExitWatcher implements AutoCloseable {
    /** @param seenBy what told of the death, for its report */
    record Exit(int slot, long pid, long detectedNanos, String seenBy) {
        Exit(int slot, long pid, long detectedNanos) {
            this(slot, pid, detectedNanos, "its pidfd");
        }
    }

    private record Watch(int slot, PidFd pidFd) {
    }

    private final Queue<Watch> toAdd = new ConcurrentLinkedQueue<>();
    private final Queue<Exit> exits = new ConcurrentLinkedQueue<>();
    private final EventFd wake = EventFd.create();
    private final Runnable onExit;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param onExit run on the watcher thread after an exit was queued: wakes a sleeping Engine */
    ExitWatcher(Runnable onExit) {
        this.onExit = onExit;
        this.thread = Thread.ofPlatform().name("engine-exit-watcher").daemon().start(this::run);
    }

    void watch(int slot, PidFd pidFd) {
        toAdd.add(new Watch(slot, pidFd));
        wake.signal(1);
    }

    /** Exits seen since the last call, oldest first; null when none. */
    Exit nextExit() {
        return exits.poll();
    }

    private void run() {
        List<Watch> watched = new ArrayList<>();
        while (running) {
            for (Watch w; (w = toAdd.poll()) != null; ) {
                watched.add(w);
            }
            int[] fds = new int[watched.size() + 1];
            fds[0] = wake.fd();
            for (int i = 0; i < watched.size(); i++) {
                fds[i + 1] = watched.get(i).pidFd().fd();
            }
            boolean[] ready = new boolean[fds.length];
            if (Poll.poll(fds, 1000, ready) == 0) {
                continue;
            }
            long now = System.nanoTime();
            if (ready[0]) {
                wake.await();
            }
            for (int i = watched.size() - 1; i >= 0; i--) {
                if (ready[i + 1]) {
                    Watch w = watched.remove(i);
                    exits.add(new Exit(w.slot(), w.pidFd().pid(), now));
                }
            }
            if (!exits.isEmpty()) {
                onExit.run();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        wake.signal(1);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        wake.close();
    }
}
