package dev.atomic.engine;

import dev.atomic.system.Errno;
import dev.atomic.system.seccomp.Notification;
import dev.atomic.system.seccomp.Notifications;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a fault report shows for what happened: a trapped call's arguments, a dead component's last words. */
final class Evidence {
    /** The end of a component's log read for its last lines: enough for a stack trace's head, never the whole file. */
    private static final int TAIL_BYTES = 4096;
    static final int LAST_LINES = 8;

    private Evidence() {
    }

    /** A trapped call the Engine denied: the call, its arguments, the errno it got. */
    static FaultReport policy(Member m, Notifications.Outcome o, long decideNanos) {
        Notification n = o.notification();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("syscall", n.syscall());
        facts.put("args", Arrays.stream(n.args()).mapToObj(a -> "0x" + Long.toHexString(a)).toList());
        facts.put("errno", Errno.name(o.decision().errno()));
        facts.put("callerPid", n.pid());
        return new FaultReport("", System.currentTimeMillis(), m.spec.id(), m.spec.kernel().word(),
                FaultReport.Kind.POLICY, n.syscall(), "attempted " + n + ", a call its policy traps",
                facts, "denied with " + Errno.name(o.decision().errno()) + (o.delivered() ? "" : " (the caller was gone)")
                + " by the Engine; the component keeps running", decideNanos, -1, 1);
    }

    /** A decoy in its view opened: the host path it stands for, refused. Each path is an attempt of its own. */
    static FaultReport tripwire(Member m, PathTraps.Tripped t) {
        return new FaultReport("", System.currentTimeMillis(), m.spec.id(), m.spec.kernel().word(),
                FaultReport.Kind.POLICY, "open " + t.what().target(), "opened " + t.what().target() + ", which its sandbox shows only as a "
                + "decoy", Map.of("path", t.what().target().toString(), "errno", "EPERM", "callerPid", t.pid()),
                "denied with EPERM by the Engine; the component keeps running", t.decideNanos(), -1, 1);
    }

    /** Forks or threads of a running component refused at its pids limit since the last poll. */
    static FaultReport pidsLimit(Member m, long refused, String file, long pollNanos) {
        return new FaultReport("", System.currentTimeMillis(), m.spec.id(), m.spec.kernel().word(),
                FaultReport.Kind.PIDS_LIMIT, "fork", refused + " fork(s) or thread(s) refused at its limit of "
                + m.spec.pidsMax() + " processes and threads (" + file.strip() + ": max rose by " + refused + ")",
                Map.of("refused", refused, "limit", m.spec.pidsMax(), "pid", m.pid), "refused by the kernel (pids "
                + "cgroup); the component keeps running", pollNanos, -1, 1);
    }

    /** Its state file system full: writes fail with ENOSPC there, and nowhere else. */
    static FaultReport diskLimit(Member m, java.nio.file.Path stateDir, long total, long usable, long pollNanos) {
        return new FaultReport("", System.currentTimeMillis(), m.spec.id(), m.spec.kernel().word(),
                FaultReport.Kind.DISK_LIMIT, "write", "its state directory " + stateDir + " is full: " + usable
                + " of " + total + " bytes left (its [sandbox] state-size)", Map.of("totalBytes", total,
                "usableBytes", usable, "pid", m.pid), "refused by its own file system (ENOSPC); the component keeps "
                + "running, no other disk is touched", pollNanos, -1, 1);
    }

    /**
     * A storm cut off: the rate the Engine read from the source in the last window (in frames, and in the events they
     * stood for) against its budget, the windows it was throttled in, and how many of its events were merged into
     * others.
     */
    static Map<String, Object> storm(StormControl storms, Coalescer coalescer, int slot) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("framesPerSecond", storms.rate(slot));
        facts.put("eventsPerSecond", storms.eventRate(slot));
        facts.put("budgetPerSecond", storms.budget(slot));
        facts.put("throttledWindows", storms.throttledWindows(slot));
        facts.put("windowMillis", StormControl.WINDOW_NANOS / 1_000_000);
        facts.put("coalescedEvents", coalescer.merged(slot));
        return facts;
    }

    /** A death the OOM killer caused at the component's memory limit: the exit's report, told as what it was. */
    static FaultReport memoryLimit(FaultReport exit, Member m, long kills, String file) {
        Map<String, Object> facts = new LinkedHashMap<>(exit.facts());
        facts.put("oomKills", kills);
        facts.put("memoryLimitBytes", m.spec.memoryMaxBytes());
        return new FaultReport(exit.id(), exit.timeMillis(), exit.component(), exit.kernel(),
                FaultReport.Kind.MEMORY_LIMIT, "", exit.evidence() + "; killed by the kernel's OOM killer at its memory "
                + "limit of " + m.spec.memoryMaxBytes() / (1024 * 1024) + " MiB (" + file.strip() + ": oom_kill rose by "
                + kills + ")", facts, exit.action(), exit.detectNanos(), exit.recoverNanos(), exit.count());
    }

    /** The last {@code max} lines of a log, or none when it cannot be read. */
    static List<String> lastLines(Path log, int max) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - TAIL_BYTES);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
            if (from > 0 && !lines.isEmpty()) {
                lines = lines.subList(1, lines.size()); // the first may be cut
            }
            return lines.subList(Math.max(0, lines.size() - max), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
