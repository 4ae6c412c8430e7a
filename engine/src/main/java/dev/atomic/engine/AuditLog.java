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
 * Every refusal and every fault, as JSON lines in {@code audit.jsonl} beside the component logs. The terminal gets
 * the first few per component in each report period and then a count: a flood of bad frames must not become a
 * flood of output.
 */
final class AuditLog implements AutoCloseable {
    private static final int SHOWN_PER_PERIOD = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of audit.jsonl. */
    record Entry(long time, String component, String kind, String detail) {
    }

    private final BufferedWriter file;
    private final PrintStream out;
    private final Map<String, Integer> shown = new HashMap<>();
    private final Map<String, Integer> hidden = new HashMap<>();
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
        records++;
        try {
            file.write(JSON.writeValueAsString(new Entry(System.currentTimeMillis(), component, kind, detail)));
            file.write('\n');
        } catch (IOException e) {
            Say.line(out, "engine", "audit log write failed: " + e.getMessage());
        }
        int n = shown.merge(component, 1, Integer::sum);
        if (n <= SHOWN_PER_PERIOD) {
            Say.line(out, "engine", "audit " + component + ": " + detail);
        } else {
            hidden.merge(component, 1, Integer::sum);
        }
    }

    void fault(FaultReport report) {
        record(report.component(), "fault-" + report.kind().name().toLowerCase().replace('_', '-'),
                report.evidence() + "; " + report.action());
    }

    long records() {
        return records;
    }

    /** Once per report period: says how many lines were held back, and flushes the file. */
    void period() {
        hidden.forEach((component, n) -> Say.line(out, "engine", "audit " + component + ": " + n
                + " more refusal(s) in this period (all in audit.jsonl)"));
        hidden.clear();
        shown.clear();
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
