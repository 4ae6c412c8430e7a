package dev.atomic.engine;

import dev.atomic.system.FutexSet;
import dev.atomic.system.PidFd;
import dev.atomic.system.RobustMutex;

/**
 * The Engine's first news of a component host's death: the host lock in its lane segment, a robust mutex its host
 * takes at its start and holds until it dies. The kernel releases it as the holding thread exits — about 2 ms after a
 * SIGKILL, where the pidfd becomes readable only once the whole address space is torn down (~12 ms, more under load).
 * The duty thread reads every watched lock word each cycle and sleeps on them with its doorbells (futex_waitv): no
 * thread of its own, none per component.
 *
 * <p>A released lock is the death: the restart is ordered at once, and the process is killed through its pidfd, since
 * a component can write its own segment, and so let go of its lock while alive — which gets it nothing but its own
 * restart. Its pidfd stays watched until it is readable, and that exit is then dropped: one death, one restart.
 * Only hosts in a process of their own are watched so, once running (welcomed or ready): a Tier 1 component in its
 * partition host shares that process with its neighbours, and a planned stop, an idle stop, an unload or Atomic's
 * own stop end a host on purpose — those take the pidfd's path, as does a host that never took its lock.
 * <p>
 * {@link #SWITCH}{@code =off} in the Engine's environment leaves every death to the pidfd: the baseline
 * {@code atomic bench recovery} measures the host locks against, not a setting for a running system.
 */
final class HostLocks implements AutoCloseable {
    static final String SWITCH = "ATOMIC_ENGINE_HOST_LOCKS";

    private final boolean on = !"off".equals(System.getenv(SWITCH));
    private final Member[] members;
    private final Supervisor supervisor;
    /** Per slot: the pid whose lock is watched (0: none), and the lock word it is expected to hold. */
    private final long[] watchedPid;
    private final int[] expected;
    /** The pidfds of processes whose death was handled by their lock, until each says it is gone. */
    private final java.util.List<PidFd> dying = new java.util.ArrayList<>();

    HostLocks(Member[] members, Supervisor supervisor) {
        this.members = members;
        this.supervisor = supervisor;
        this.watchedPid = new long[members.length];
        this.expected = new int[members.length];
    }

    /**
     * Once per duty cycle: watches the locks hosts took since, and handles the death of each host whose lock was
     * released. Returns how many died.
     */
    int tick(boolean stopping) {
        int died = 0;
        for (Member m : members) {
            if (!on || stopping || !watchable(m)) {
                watchedPid[m.slot] = 0;
                continue;
            }
            if (watchedPid[m.slot] != m.pid) {
                int word = m.segment.watchHostLock();
                if (RobustMutex.held(word)) {
                    watchedPid[m.slot] = m.pid;
                    expected[m.slot] = word;
                }
                continue;
            }
            int word = m.segment.hostLock();
            if (word == expected[m.slot]) {
                continue;
            }
            if (RobustMutex.held(word)) {
                expected[m.slot] = m.segment.watchHostLock(); // rewritten, still held: its waiters bit again
                continue;
            }
            watchedPid[m.slot] = 0;
            died(m);
            died++;
        }
        return died;
    }

    boolean on() {
        return on;
    }

    private static boolean watchable(Member m) {
        return m.reachable() && m.pidFd != null && (m.spec.tier() != 1 || m.demotion.demoted()) && !m.unloaded
                && m.unloadBy == 0 && !m.plannedRestart && m.idle == Member.Idle.AWAKE;
    }

    /** Killed (it may be alive: it let go of its lock), then handled as any death; its pidfd kept till it says so. */
    private void died(Member m) {
        m.kill();
        dying.add(m.pidFd);
        m.pidFd = null;
        supervisor.onExit(new ExitWatcher.Exit(m.slot, m.pid, System.nanoTime(), "the release of its host lock"));
    }

    /** The lock words watched, each with the value it holds while its host lives; as many as {@code set} has room for. */
    void addTo(FutexSet set) {
        for (Member m : members) {
            if (watchedPid[m.slot] != 0 && set.size() < set.capacity()) {
                set.add(m.segment.hostLockAddress(), expected[m.slot]);
            }
        }
    }

    /** How many words {@link #addTo} may add. */
    int capacity() {
        return members.length;
    }

    /** True for the pidfd's news of a death already handled by its lock: dropped, the pidfd closed. */
    boolean handled(ExitWatcher.Exit e) {
        for (int i = 0; i < dying.size(); i++) {
            if (dying.get(i).pid() == e.pid()) {
                dying.remove(i).close();
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        dying.forEach(PidFd::close);
        dying.clear();
    }
}
