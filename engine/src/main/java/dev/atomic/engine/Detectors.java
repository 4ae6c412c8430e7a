package dev.atomic.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the hang and leak detectors over every ready component from the duty cycle: hangs every 100 ms (a silent
 * component's threads' run-queue wait read from {@code /proc}: starved is not hung), resident
 * memory (from {@code /proc/<pid>/status}) every second. What they find is contained (killed) and restarted by the
 * supervisor, with a HANG or LEAK fault report carrying the evidence.
 */
final class Detectors {
    static final long HANG_EVERY_NANOS = 100_000_000L;
    static final long LEAK_EVERY_NANOS = 1_000_000_000L;

    /** Where a finding goes. */
    interface Listener {
        /** @param detectNanos how long the fault lasted before it was found */
        void found(Member m, FaultReport.Kind kind, String evidence, long detectNanos);
    }

    private final Member[] members;
    private final Router router;
    private final Listener listener;
    private final HangDetector[] hangs;
    private final LeakDetector[] leaks;
    /** The pid each member was last judged as: a new one starts its observations afresh. */
    private final long[] watched;
    private long nextHang;
    private long nextLeak;
    private final EngineTunables tunables;
    private final java.util.function.LongUnaryOperator rssOf;

    Detectors(Member[] members, Router router, Listener listener, EngineTunables tunables) {
        this(members, router, listener, tunables, Detectors::residentBytes);
    }

    /** @param rssOf a process's resident bytes (0: unknown) */
    Detectors(Member[] members, Router router, Listener listener, EngineTunables tunables,
              java.util.function.LongUnaryOperator rssOf) {
        this.rssOf = rssOf;
        this.members = members;
        this.tunables = tunables;
        this.router = router;
        this.listener = listener;
        this.hangs = new HangDetector[members.length];
        this.leaks = new LeakDetector[members.length];
        this.watched = new long[members.length];
        for (int i = 0; i < members.length; i++) {
            hangs[i] = new HangDetector(Detectors::runQueueWaitNanos);
            leaks[i] = new LeakDetector();
        }
    }

    void tick(long now) {
        boolean hang = now - nextHang >= 0;
        boolean leak = now - nextLeak >= 0;
        if (!hang && !leak) {
            return;
        }
        if (hang) {
            nextHang = now + HANG_EVERY_NANOS;
        }
        if (leak) {
            nextLeak = now + LEAK_EVERY_NANOS;
        }
        for (Member m : members) {
            if (m.state != Member.State.READY || m.containing) {
                continue;
            }
            if (m.frozen()) {
                watched[m.slot] = 0; // frozen on purpose: neither beats nor answers; judged afresh once thawed
                continue;
            }
            if (watched[m.slot] != m.pid) {
                watched[m.slot] = m.pid;
                hangs[m.slot].reset(now);
                leaks[m.slot].reset();
            }
            long hangAfter = m.spec.watch().hangAfter().toNanos();
            if (hang && hangAfter > 0) {
                String evidence = hangs[m.slot].check(now, m.pid, m.segment.heartbeat(), router.pendingTo(m.slot),
                        router.answeredAt(m.slot), router.expiredAt(m.slot), hangAfter);
                if (evidence != null) {
                    listener.found(m, FaultReport.Kind.HANG, evidence, hangs[m.slot].detectNanos);
                    continue;
                }
            }
            if (!leak) {
                continue;
            }
            if (inPartitionHost(m)) {
                partitionLeak(now, m);
                continue;
            }
            long rss = rssOf.applyAsLong(m.pid);
            String evidence = rss > 0 ? leaks[m.slot].sample(now, rss, m.spec.memoryMaxBytes(),
                    tunables.leakHorizonSeconds(m.slot)) : null;
            if (evidence != null) {
                listener.found(m, FaultReport.Kind.LEAK, evidence, leaks[m.slot].detectNanos);
            }
        }
    }

    private static boolean inPartitionHost(Member m) {
        return m.spec.tier() == 1 && !m.demotion.demoted();
    }

    /**
     * A Tier 1 component's memory is its partition host's, shared with its neighbours: one JVM heap cannot tell whose
     * objects are whose. So the host is judged, once, by the first of its components, against the sum of their
     * limits (its cgroup's); when it leaks, each of them is contained and demoted to a process of its own, where its
     * memory is its own and a leak is then pinned on the one that has it.
     */
    private void partitionLeak(long now, Member first) {
        long limit = 0;
        StringBuilder sharing = new StringBuilder();
        for (Member m : members) {
            if (m.pid == first.pid && inPartitionHost(m) && m.state == Member.State.READY && !m.containing) {
                if (m.slot < first.slot) {
                    return; // judged with the host's first component
                }
                limit += m.spec.memoryMaxBytes();
                sharing.append(sharing.isEmpty() ? "" : ", ").append(m.spec.id());
            }
        }
        long rss = rssOf.applyAsLong(first.pid);
        String evidence = rss > 0 ? leaks[first.slot].sample(now, rss, limit, tunables.leakHorizonSeconds(first.slot))
                : null;
        if (evidence == null) {
            return;
        }
        String shared = "its partition host (pid " + first.pid + ", running " + sharing + ") is " + evidence
                + " (the sum of theirs); which of them leaks cannot be told inside one JVM, so each is demoted to a "
                + "process of its own";
        long detect = leaks[first.slot].detectNanos;
        for (Member m : members) {
            if (m.pid == first.pid && inPartitionHost(m) && m.state == Member.State.READY && !m.containing) {
                listener.found(m, FaultReport.Kind.LEAK, shared, detect);
            }
        }
    }

    /**
     * How long the threads of a process have waited, runnable, for a CPU, all told (the second field of each
     * {@code /proc/<pid>/task/<tid>/schedstat}), in nanoseconds; -1 when it cannot be read. Read only while a
     * component is silent: a directory listing and a file per thread.
     */
    static long runQueueWaitNanos(long pid) {
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            long sum = 0;
            for (Path task : tasks) {
                String[] fields = Files.readString(task.resolve("schedstat")).strip().split(" ");
                sum += fields.length == 3 ? Long.parseLong(fields[1]) : 0;
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1; // gone, or no schedstat in this kernel: judged on its silence alone
        }
    }

    /** VmRSS of a process, in bytes; 0 when it cannot be read (gone, or not ours to read). */
    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
