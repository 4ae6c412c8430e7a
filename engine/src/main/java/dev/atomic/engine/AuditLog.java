package dev.atomic.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atomic.component.Say;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Refusals and faults, as JSON lines in {@code audit.jsonl} beside the component logs. In each report period the
 * terminal gets the first few records per component, the file the first {@link #FILED_PER_PERIOD} per component and
 * kind, and both then a count: a flood of one bad frame must become neither a flood of output nor a full disk, nor
 * hide the one record of another kind that follows it.
 */
final class AuditLog implements AutoCloseable {
    private static final int SHOWN_PER_PERIOD = 3;
    static final int FILED_PER_PERIOD = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of audit.jsonl. */
    record Entry(long time, String component, String kind, String detail) {
    }

    private final BufferedWriter file;
    private final PrintStream out;
    private final Map<String, Integer> shown = new HashMap<>();
    private final Map<String, Integer> hidden = new HashMap<>();
    private final Map<String, Integer> filed = new HashMap<>();
    private long records;

    AuditLog(Path logDir, PrintStream out) {
        this.out = out;
        try {
            Files.createDirectories(logDir);
            this.file = Files.newBufferedWriter(logDir.resolve("audit.jsonl"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log in " + logDir, e);
        }
    }

    void record(String component, String kind, String detail) {
        file(component, kind, detail);
        int n = shown.merge(component, 1, Integer::sum);
        if (n <= SHOWN_PER_PERIOD) {
            Say.line(out, "engine", "audit " + component + ": " + detail);
        } else {
            hidden.merge(component, 1, Integer::sum);
        }
    }

    /** Filed only, not shown: what is routine (a console query each second) must not fill the terminal. */
    void file(String component, String kind, String detail) {
        records++;
        if (filed.merge(component + "\t" + kind, 1, Integer::sum) <= FILED_PER_PERIOD) {
            write(new Entry(System.currentTimeMillis(), component, kind, detail));
        }
    }

    void fault(FaultReport report) {
        record(report.component(), "fault-" + report.kind().name().toLowerCase().replace('_', '-'),
                report.evidence() + "; " + report.action());
    }

    /** Builds the entries' serializer, writing nothing: the first fault's record is then written at full speed. */
    static void warmUp() {
        try {
            JSON.writeValueAsString(new Entry(0, "", "", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long records() {
        return records;
    }

    private void write(Entry entry) {
        try {
            file.write(JSON.writeValueAsString(entry));
            file.write('\n');
        } catch (IOException e) {
            Say.line(out, "engine", "audit log write failed: " + e.getMessage());
        }
    }

    /** Once per report period: says how many records were held back, and flushes the file. */
    void period() {
        hidden.forEach((component, n) -> Say.line(out, "engine", "audit " + component + ": " + n
                + " more refusal(s) in this period (see audit.jsonl)"));
        filed.forEach((key, n) -> {
            if (n > FILED_PER_PERIOD) {
                String[] componentAndKind = key.split("\t", 2);
                write(new Entry(System.currentTimeMillis(), componentAndKind[0], "suppressed", (n - FILED_PER_PERIOD)
                        + " more '" + componentAndKind[1] + "' records in this period, not written one by one"));
            }
        });
        hidden.clear();
        shown.clear();
        filed.clear();
        try {
            file.flush();
        } catch (IOException e) {
            Say.line(out, "engine", "audit log flush failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        period();
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing more to say
        }
    }
}
