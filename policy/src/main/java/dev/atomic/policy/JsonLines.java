package dev.atomic.policy;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Observations as JSON Lines, one observation a line: what policies are trained on offline. */
public final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {
    }

    public static void write(Writer out, Iterable<Observation> observations) throws IOException {
        for (Observation o : observations) {
            out.write(JSON.writeValueAsString(o));
            out.write('\n');
        }
        out.flush();
    }

    /** A subscriber for {@link ObservationBus#subscribe} that appends each observation to {@code out}. */
    public static java.util.function.Consumer<Observation> appender(Writer out) {
        return o -> {
            try {
                synchronized (out) {
                    out.write(JSON.writeValueAsString(o));
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** Reads a JSON Lines file; a line that is not an observation is an error naming the line. */
    public static List<Observation> read(Path file) throws IOException {
        List<Observation> all = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    all.add(JSON.readValue(line, Observation.class));
                } catch (IOException | IllegalArgumentException e) {
                    throw new IOException(file + " line " + n + " is not an observation: " + e.getMessage(), e);
                }
            }
        }
        return all;
    }
}
