package dev.atomic.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Every {@link FaultReport}, as JSON lines in {@code faults.jsonl} beside the component logs, which
 * {@code atomic faults} reads. Flood-proof: in each report period the first report of each component, kind and
 * attempt is written as it comes, later ones like it are only counted and written as one line with their count when
 * the period ends; a component's distinct attempts past {@link #KEYS_PER_COMPONENT} share one such line. So a
 * component making a million attempts a second costs a bounded number of lines, and another component's report is
 * never held back behind it. A report is written again, same id, once its component is back (its recovery time
 * filled in); readers keep the last line of each id.
 *
 * <p>Whether a report is folded is decided on the caller's thread (the Engine's duty cycle), at once and in memory;
 * the rest — its id, a dead component's last log lines, the JSON and the file — on a writer thread of its own, in
 * the order filed. So a fault's file work never delays the restart that follows it: the duty cycle goes straight
 * back to the restarted component's HELLO.
 */
public final class FaultLog implements AutoCloseable {
    public static final String FILE = "faults.jsonl";
    /** A death's {@code exit} fact until its parent says how it ended. */
    static final String UNKNOWN_EXIT = "not yet known";
    static final int KEYS_PER_COMPONENT = 32;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Reports like one already written this period: how many, the first time, the last one. */
    private static final class Folded {
        long count;
        long firstMillis;
        FaultReport last;
    }

    private final BufferedWriter file;
    private final Path logDir;
    private final Consumer<String> complain;
    private final String idPrefix;
    /** Folding: the caller's thread only. */
    private final Map<String, Folded> period = new LinkedHashMap<>();
    private final Map<String, Integer> keysOf = new HashMap<>();
    /** Everything below: the writer thread only. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("engine-fault-log").unstarted(r));
    /** The last report of each component that ended its process, waiting for it to come back. */
    private final Map<String, FaultReport> awaitingRecovery = new HashMap<>();
    /** The last report of each component that ended its process, as last written. */
    private final Map<String, FaultReport> lastDeath = new HashMap<>();
    private long sequence;
    private long lines;

    /** @param complain told when the file cannot be written: a full disk stops the records, not the Engine */
    FaultLog(Path logDir, Consumer<String> complain) {
        this.logDir = logDir;
        this.complain = complain;
        this.idPrefix = Long.toString(ProcessHandle.current().pid(), 36) + "-" + Long.toString(System.currentTimeMillis(), 36);
        try {
            Files.createDirectories(logDir);
            this.file = Files.newBufferedWriter(logDir.resolve(FILE), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the fault log in " + logDir, e);
        }
        // The first report pays for loading and linking Jackson, and the serializers' first build: here, not then.
        writer.execute(() -> {
            try {
                JSON.writeValueAsString(new FaultReport(0, "", "", FaultReport.Kind.CRASH, "", "")
                        .withFacts(Map.of("lastLog", List.of(""), "pid", 0L)).withId(""));
            } catch (IOException e) {
                complain.accept("fault log warm-up failed: " + e.getMessage());
            }
        });
    }

    /** Runs {@code warmUp} on the writer thread, before any report: another log's serializer, say. */
    void warmUp(Runnable warmUp) {
        writer.execute(warmUp);
    }

    /**
     * Files a report, giving it an id. True when it was written as itself (worth saying); false when it was folded
     * into its period's count. A death is always written as itself: its restart policy and back-off bound how often
     * one comes, each gets its own recovery time, and the one that gives up on a component must be seen. What a
     * component can repeat at will (attempts, limits hit) is folded.
     */
    boolean report(FaultReport r) {
        if (!r.kind().endsProcess && folded(r)) {
            return false;
        }
        writer.execute(() -> file(r));
        return true;
    }

    /** A dead component's report gets its last log lines: read here, on the writer thread. */
    private void file(FaultReport r) {
        FaultReport filed = r.withId(nextId());
        if (r.kind().endsProcess) {
            if (!r.facts().containsKey("lastLog")) {
                filed = filed.withFacts(Map.of("lastLog", Evidence.lastLines(logDir.resolve(r.component() + ".log"),
                        Evidence.LAST_LINES)));
            }
            awaitingRecovery.put(r.component(), filed);
            lastDeath.put(r.component(), filed);
        }
        write(filed);
        flush(); // at once: an Engine killed next would otherwise take the report with it, unwritten
    }

    /** Whether {@code r} is one more of its period's kind, counted rather than written. */
    private boolean folded(FaultReport r) {
        String key = r.component() + "\t" + r.kind() + "\t" + r.attempt();
        Folded seen = period.get(key);
        if (seen == null && keysOf.getOrDefault(r.component(), 0) >= KEYS_PER_COMPONENT) {
            key = r.component() + "\t*"; // past its distinct attempts: one line for all the rest
            seen = period.computeIfAbsent(key, k -> new Folded());
        }
        if (seen != null) {
            if (seen.count++ == 0) {
                seen.firstMillis = r.timeMillis();
            }
            seen.last = r;
            return true;
        }
        period.put(key, new Folded());
        keysOf.merge(r.component(), 1, Integer::sum);
        return false;
    }

    /** The component is serving again: its last report that ended its process gets its recovery time. */
    void recovered(String component, long recoverNanos) {
        writer.execute(() -> fileRecovery(component, recoverNanos));
    }

    private void fileRecovery(String component, long recoverNanos) {
        FaultReport r = awaitingRecovery.remove(component);
        if (r != null) {
            FaultReport back = r.recovered(recoverNanos);
            lastDeath.put(component, back);
            write(back);
        }
    }

    /**
     * How the process of the component's last death ended, when its parent's word came after the report was filed:
     * the report is written again with it, a death by a signal as a CRASH.
     */
    void exitKnown(String component, long pid, String how) {
        writer.execute(() -> fileExit(component, pid, how));
    }

    private void fileExit(String component, long pid, String how) {
        FaultReport r = lastDeath.get(component);
        // A number, not a Long: a report its predecessor filed was read back from JSON.
        if (r == null || !(r.facts().get("pid") instanceof Number n && n.longValue() == pid)
                || !UNKNOWN_EXIT.equals(r.facts().get("exit"))) {
            return;
        }
        FaultReport known = r.exitKnown(how);
        lastDeath.put(component, known);
        awaitingRecovery.computeIfPresent(component, (c, waiting) -> waiting.id().equals(known.id()) ? known : waiting);
        write(known);
    }

    /**
     * A successor's part: the last death its predecessor filed for each of {@code awaiting} (components not back
     * yet) is taken as filed here, so that it gets its recovery time, or how its process ended, when they come.
     * Read from the file on the writer thread, before what is filed after this.
     */
    void carryOn(Set<String> awaiting) {
        if (awaiting.isEmpty()) {
            return;
        }
        writer.execute(() -> {
            try {
                for (FaultReport r : read(logDir.resolve(FILE))) {
                    if (r.kind().endsProcess && awaiting.contains(r.component())) {
                        lastDeath.put(r.component(), r);
                        if (r.recoverNanos() < 0) {
                            awaitingRecovery.put(r.component(), r);
                        } else {
                            awaitingRecovery.remove(r.component());
                        }
                    }
                }
            } catch (IOException e) {
                complain.accept("fault log: the predecessor's reports could not be read (" + e.getMessage() + "): "
                        + "those not recovered yet keep no recovery time");
            }
        });
    }

    /** Once per report period: writes the counts of what was folded, and flushes. */
    void period() {
        List<FaultReport> counts = new ArrayList<>();
        period.values().forEach(f -> {
            if (f.count > 0) {
                counts.add(f.last.folded("", f.count, f.firstMillis));
            }
        });
        period.clear();
        keysOf.clear();
        writer.execute(() -> {
            counts.forEach(c -> write(c.withId(nextId())));
            flush();
        });
    }

    private void flush() {
        try {
            file.flush();
        } catch (IOException e) {
            complain.accept("fault log flush failed: " + e.getMessage());
        }
    }

    /** Lines written so far, once what was filed before is written. */
    long lines() throws Exception {
        return writer.submit(() -> lines).get();
    }

    private String nextId() {
        return idPrefix + "-" + ++sequence;
    }

    private void write(FaultReport r) {
        try {
            file.write(JSON.writeValueAsString(r));
            file.write('\n');
            lines++;
        } catch (IOException e) {
            complain.accept("fault log write failed: " + e.getMessage());
        }
    }

    /** Writes what was filed, then closes the file. */
    @Override
    public void close() {
        period();
        writer.execute(() -> {
            try {
                file.close();
            } catch (IOException ignored) {
                // nothing more to say
            }
        });
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                complain.accept("fault log: reports still unwritten after 5 s; left behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The reports of a fault log, oldest first, each as its last line says (a recovery rewrites a report); empty
     * when there is no file. A line that is not a report (cut short by a crash) is skipped.
     */
    public static List<FaultReport> read(Path file) throws IOException {
        Map<String, FaultReport> byId = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        for (String line : lines) {
            try {
                FaultReport r = JSON.readValue(line, FaultReport.class);
                byId.put(r.id(), r);
            } catch (IOException e) {
                // a torn last line: the rest still stands
            }
        }
        return new ArrayList<>(byId.values());
    }
}
