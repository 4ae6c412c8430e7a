package dev.atomic.engine;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Platform threads for long tasks handed over by the duty thread, one of them always started and waiting: the duty
 * thread hands a task over and goes on. Starting a thread makes the starter wait until the new one runs, which on a
 * busy host can take milliseconds — a restarted component's WELCOME waited for it (its seccomp listener's thread).
 * A thread that takes a task starts the next waiting one itself, off the duty thread; a thread that finished its
 * task waits for another, and ends after {@link #IDLE_SECONDS} unless it is the only one waiting.
 */
final class WaitingThreads {
    static final long IDLE_SECONDS = 60;

    private final String name;
    private final SynchronousQueue<Runnable> handOff = new SynchronousQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();

    WaitingThreads(String name) {
        this.name = name;
        start(null);
    }

    /** Runs {@code task} on a waiting thread, or on a new one when none waits (the first time). */
    void run(Runnable task) {
        if (!handOff.offer(task)) {
            start(task);
        }
    }

    /** Threads started and waiting for a task right now. */
    int waiting() {
        return waiting.get();
    }

    private void start(Runnable first) {
        Thread.ofPlatform().name(name).daemon().start(() -> work(first));
    }

    private void work(Runnable first) {
        Runnable task = first;
        while (true) {
            if (task != null) {
                if (waiting.get() == 0) {
                    start(null); // the next task's thread, started by this one, not by the duty thread
                }
                task.run();
                Thread.currentThread().setName(name);
            }
            waiting.incrementAndGet();
            try {
                task = handOff.poll(IDLE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                task = null;
            } finally {
                waiting.decrementAndGet();
            }
            if (task == null && waiting.get() > 0) {
                return; // idle, and another waits
            }
        }
    }
}
