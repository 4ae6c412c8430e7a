package dev.atomic.engine;

import java.util.Map;

/**
 * The one record of a fault: which component, in which kernel, what kind, what it attempted (a system call's name
 * for a POLICY fault, empty for a death), the evidence in words and as facts (a call's arguments and errno; a
 * death's signal, exit status and last log lines; counters), what the Engine did, how long detection took and, once
 * the component is back, how long recovery took. One JSON line of {@code faults.jsonl} ({@link FaultLog}); a line
 * with {@code count} above 1 stands for that many like it, folded together in one report period.
 *
 * @param detectNanos  from the fault to the Engine acting on it, as far as it can tell (-1: unknown)
 * @param recoverNanos from detection to the component serving again (-1: not back, or not a fault it comes back from)
 */
public record FaultReport(String id, long timeMillis, String component, String kernel, Kind kind, String attempt,
                          String evidence, Map<String, Object> facts, String action, long detectNanos,
                          long recoverNanos, long count) {

    /** Open: other detectors add their own kinds. {@code endsProcess}: the component was killed or died of it. */
    public enum Kind {
        EXIT(true), CRASH(true), STORM(true), CORRUPT_LANE(true), HANG(true), LEAK(true), HEALTH(true), POLICY(false),
        PIDS_LIMIT(false), MEMORY_LIMIT(true), DISK_LIMIT(false);

        public final boolean endsProcess;

        Kind(boolean endsProcess) {
            this.endsProcess = endsProcess;
        }
    }

    public FaultReport {
        facts = facts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        attempt = attempt == null ? "" : attempt;
    }

    /** A report without an attempt, facts or timings yet: the Engine fills those in ({@link Engine#fault}). */
    FaultReport(long timeMillis, String component, String kernel, Kind kind, String evidence, String action) {
        this("", timeMillis, component, kernel, kind, "", evidence, Map.of(), action, -1, -1, 1);
    }

    FaultReport withId(String newId) {
        return new FaultReport(newId, timeMillis, component, kernel, kind, attempt, evidence, facts, action,
                detectNanos, recoverNanos, count);
    }

    FaultReport withFacts(Map<String, Object> more) {
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(facts);
        all.putAll(more);
        return new FaultReport(id, timeMillis, component, kernel, kind, attempt, evidence, all, action, detectNanos,
                recoverNanos, count);
    }

    /** The same fault with what was done about it, said once the supervisor decided. */
    FaultReport withAction(String newAction) {
        return new FaultReport(id, timeMillis, component, kernel, kind, attempt, evidence, facts, newAction,
                detectNanos, recoverNanos, count);
    }

    /** A death's report once its parent said how the process ended; a death by a signal is a CRASH. */
    FaultReport exitKnown(String how) {
        Map<String, Object> known = new java.util.LinkedHashMap<>(facts);
        known.put("exit", how);
        Kind k = kind == Kind.EXIT && how.startsWith("killed") ? Kind.CRASH : kind;
        return new FaultReport(id, timeMillis, component, kernel, k, attempt, evidence + " (" + how + ")", known,
                action, detectNanos, recoverNanos, count);
    }

    FaultReport withDetect(long nanos) {
        return new FaultReport(id, timeMillis, component, kernel, kind, attempt, evidence, facts, action, nanos,
                recoverNanos, count);
    }

    FaultReport recovered(long nanos) {
        return new FaultReport(id, timeMillis, component, kernel, kind, attempt, evidence, facts, action, detectNanos,
                nanos, count);
    }

    FaultReport folded(String newId, long times, long firstMillis) {
        return new FaultReport(newId, firstMillis, component, kernel, kind, attempt, times + " more like this since "
                + "the first, folded into one report (last: " + evidence + ")", facts, action, detectNanos,
                recoverNanos, times);
    }

    String line() {
        return "FAULT " + component + " (" + kernel + "): " + evidence + "; " + action;
    }
}
