package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.CgroupException;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Freezes and thaws the cgroups of idle on-demand services, as the Engine asks. On a thread of its own: a freeze
 * waits until every task has stopped, which the Sovereign's watch over the Engine must not. One thread, so requests
 * are done in the order they came, and a start waits for what was asked before it; only a thaw with nothing before it
 * is done at once by the Sovereign's own thread, since a request waits on it.
 */
final class Freezer implements AutoCloseable {
    /** The group of a component the Engine may freeze, or why there is none. */
    interface Groups {
        Optional<Cgroup> freezable(ComponentSpec spec);

        String whyNotFreezable();
    }

    private final List<ComponentSpec> components;
    private final Groups groups;
    private final Set<Integer> frozen = ConcurrentHashMap.newKeySet();
    /** Requests handed to the freezer's thread and not yet done; guarded by this. */
    private int queued;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform()
            .name("sovereign-freezer").daemon().unstarted(r));

    Freezer(List<ComponentSpec> components, Groups groups) {
        this.components = components;
        this.groups = groups;
    }

    /**
     * Freezes or thaws the slot's group, then tells {@code done} null, or why it could not. Thawing where nothing can
     * be frozen is done already.
     */
    void request(int slot, boolean freeze, BiConsumer<Boolean, String> done) {
        synchronized (this) {
            // A thaw is a write the kernel does at once, and a request waits on it: done here when nothing asked
            // before is still under way, without waking the freezer's thread.
            if (!freeze && queued == 0) {
                done.accept(false, set(slot, false));
                return;
            }
        }
        String[] failure = new String[1];
        // Told once counted done: the Engine asks to thaw a slot only once told it is frozen.
        enqueue(() -> failure[0] = set(slot, freeze), () -> done.accept(freeze, failure[0]));
    }

    /**
     * On the freezer's thread, counted until done (a freeze waits for the kernel, and must not hold the lock); then
     * {@code after}.
     */
    private java.util.concurrent.Future<?> enqueue(Runnable task, Runnable after) {
        synchronized (this) {
            queued++;
        }
        return thread.submit(() -> {
            try {
                task.run();
            } finally {
                synchronized (this) {
                    queued--;
                }
            }
            after.run();
        });
    }

    /** Whether the slot's group is frozen, as far as this Freezer made it so. */
    boolean frozen(int slot) {
        return frozen.contains(slot);
    }

    /**
     * Thaws the slot's group once whatever was asked before is done: before a start (a new process must not join a
     * frozen group) and before a planned restart (a frozen process cannot hear that it is to stop).
     */
    void thawNow(int slot) {
        await(() -> {
            if (frozen.contains(slot)) {
                set(slot, false);
            }
        });
    }

    /** Before shutdown: every frozen component must run to hear that it is to stop. */
    void thawAll() {
        await(() -> List.copyOf(frozen).forEach(slot -> set(slot, false)));
    }

    private String set(int slot, boolean freeze) {
        Optional<Cgroup> group = groups.freezable(components.get(slot));
        if (group.isEmpty()) {
            return freeze ? groups.whyNotFreezable() : null;
        }
        try {
            if (freeze) {
                group.get().freeze();
                frozen.add(slot);
            } else {
                group.get().thaw();
                frozen.remove(slot);
            }
            return null;
        } catch (CgroupException e) {
            return e.getMessage();
        }
    }

    private void await(Runnable task) {
        try {
            enqueue(task, () -> { }).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the freezer did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
