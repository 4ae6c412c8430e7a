package dev.atomic.engine;

import dev.atomic.bridge.FrameType;
import dev.atomic.bridge.Priority;
import dev.atomic.component.Observation;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The observe capability (the seed's Atomic Security Bridge): components whose manifest names others in
 * {@code observe} get, from the Engine, those components' starts and faults as they happen (and, once ready
 * themselves, which of them were running already) and a telemetry sample of
 * each every second (state, restarts, calls made and answered, resident memory and CPU time of its process). Each
 * is a copy written into the observer's own delivery lane: it maps nothing of anyone else, and the capability lets it
 * send nothing it could not send before.
 */
final class Observers {
    static final long TELEMETRY_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times, is 100 on every architecture Atomic runs on. */
    private static final long MILLIS_PER_TICK = 10;
    private static final long PAGE = 4096;

    private final Member[] members;
    /** Per observer slot, per observed slot: whether it may see it. */
    private final boolean[][] sees;
    private final boolean any;
    /** Per slot, the report of its last death as observers were told it: updated once its exit is known. */
    private final FaultReport[] lastDeath;
    private long nextTelemetry;

    Observers(Member[] members) {
        this.members = members;
        this.sees = new boolean[members.length][members.length];
        this.lastDeath = new FaultReport[members.length];
        boolean found = false;
        for (Member observer : members) {
            for (Member other : members) {
                sees[observer.slot][other.slot] = observer.spec.observes(other.spec.id());
                found |= sees[observer.slot][other.slot];
            }
        }
        this.any = found;
    }

    /**
     * A component is ready: started, or back after a fault; its observers are told. An observer that just became
     * ready is told which of the components it watches were already running.
     */
    void started(Member m) {
        if (!any) {
            return;
        }
        send(m, "started", Map.of("pid", m.pid, "restarts", m.restarts.size()));
        for (Member other : members) {
            if (sees[m.slot][other.slot] && other.state == Member.State.READY) {
                deliver(m, other, Observation.format("running", other.spec.id(), other.spec.kernel().word(),
                        Map.of("pid", other.pid, "restarts", other.restarts.size())));
            }
        }
    }

    void fault(FaultReport report) {
        if (!any) {
            return;
        }
        for (Member m : members) {
            if (m.spec.id().equals(report.component())) {
                lastDeath[m.slot] = report.kind().endsProcess ? report : lastDeath[m.slot];
                send(m, "fault", facts(report));
            }
        }
    }

    /**
     * The process of a component's last death ended as its parent says, after its report was sent: observers get the
     * report as the fault log writes it again ({@code exit}), a death by a signal as a CRASH.
     */
    void exitKnown(Member m, long pid, String how) {
        FaultReport r = lastDeath[m.slot];
        if (any && r != null && Long.valueOf(pid).equals(r.facts().get("pid"))
                && FaultLog.UNKNOWN_EXIT.equals(r.facts().get("exit"))) {
            lastDeath[m.slot] = r.exitKnown(how);
            send(m, "exit", facts(lastDeath[m.slot]));
        }
    }

    private static Map<String, Object> facts(FaultReport report) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("kind", report.kind().name().toLowerCase(java.util.Locale.ROOT));
        facts.put("evidence", report.evidence());
        facts.put("action", report.action());
        return facts;
    }

    /** Every second, one telemetry sample of each watched component to each of its observers. */
    void tick(long now) {
        if (!any || now - nextTelemetry < 0) {
            return;
        }
        nextTelemetry = now + TELEMETRY_EVERY_NANOS;
        for (Member m : members) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("state", m.state.name().toLowerCase(java.util.Locale.ROOT));
            facts.put("pid", m.pid);
            facts.put("restarts", m.restarts.size());
            facts.put("callsMade", m.callsMade);
            facts.put("callsAnswered", m.callsAnswered);
            facts.put("tier", m.spec.tier() == 1 && !m.demotion.demoted() ? 1 : 2);
            if (m.demotion.demoted()) {
                facts.put("demoted", true);
            }
            if (OnDemand.onDemand(m)) {
                facts.put("idle", m.idle.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (m.gaveUpReason != null) {
                facts.put("gaveUp", m.gaveUpReason);
            }
            if (m.reachable()) {
                usage(m.pid, facts);
            }
            send(m, "telemetry", facts);
        }
    }

    private void send(Member about, String event, Map<String, ?> facts) {
        byte[] payload = null;
        for (Member observer : members) {
            if (sees[observer.slot][about.slot]) {
                if (payload == null) {
                    payload = Observation.format(event, about.spec.id(), about.spec.kernel().word(), facts);
                }
                deliver(observer, about, payload);
            }
        }
    }

    /** Best effort: an observer too slow to read its lane misses samples, and nobody else waits for it. */
    private static void deliver(Member observer, Member about, byte[] payload) {
        if (observer.reachable()) {
            observer.segment.deliveries().lane(Priority.NORMAL).offer(FrameType.OBSERVATION, -1, about.slot, 0, 0, 0,
                    0, new UnsafeBuffer(payload), 0, payload.length);
        }
    }

    /** Resident memory and CPU time from /proc/<pid>/stat, when the process is still there to read. */
    static void usage(long pid, Map<String, Object> facts) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15, rss 24.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (f[0].equals("Z") || f[0].equals("X")) {
                facts.put("usage", "unknown (it has exited)"); // a dead process's resident memory reads 0
                return;
            }
            facts.put("cpuMillis", (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MILLIS_PER_TICK);
            facts.put("rssBytes", Long.parseLong(f[21]) * PAGE);
        } catch (IOException | RuntimeException e) {
            facts.put("usage", "unknown (" + e.getClass().getSimpleName() + ")");
        }
    }
}
