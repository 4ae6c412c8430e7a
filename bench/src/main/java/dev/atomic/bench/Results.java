package dev.atomic.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.atomic.auditor.HostReport;
import dev.atomic.auditor.Reservation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/**
 * A results file: which benchmark, when, on what machine and profile, how it was measured, and its figures.
 *
 * @param profile the Auditor's profile and mode on this host, such as {@code lean/shared}
 */
@JsonPropertyOrder({"benchmark", "date", "machine", "profile", "java", "method", "figures"})
public record Results(String benchmark, String date, Machine machine, String profile, String java, String method,
                      List<Figure> figures) {

    /** The figures with a target come first, in their order, so a reader meets the verdicts before the context. */
    public Results {
        figures = figures.stream().sorted(Comparator.comparing((Figure f) -> f.target() == null)).toList();
    }

    /** @param model {@code model name} from /proc/cpuinfo; ram in bytes, MemTotal from /proc/meminfo */
    @JsonPropertyOrder({"cpus", "model", "ram"})
    public record Machine(int cpus, String model, long ram) {
        static Machine of(HostReport host) {
            return new Machine(host.cpu().logicalCpus(), host.cpu().model(), host.memoryBytes());
        }
    }

    static String profile(Reservation reservation) {
        return reservation.profile().label() + "/" + reservation.mode().label();
    }

    /** {@code bench/results/<benchmark>.json} in the checkout the user is in. */
    static Path defaultOutput(String benchmark) {
        return RepositoryRoot.find(Path.of("")).resolve("bench/results/" + benchmark + ".json");
    }

    /**
     * Writes a run's results file, then prints each target's verdict and how long the run took: the last lines a
     * benchmark prints.
     */
    static void write(String benchmark, HostReport host, String method, List<Figure> figures, Path out,
                      PrintStream progress, long startNanos) throws IOException {
        ResultsFile.write(new Results(benchmark, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                Machine.of(host), profile(host.reservation()), Runtime.version().toString(), method, figures), out);
        progress.println();
        for (Figure f : figures) {
            if (f.target() != null) {
                progress.printf("%s %s: %s%n", f.met() == null ? "  -" : f.met() ? " ok" : "MISS", f.name(), f.note());
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        progress.printf("wrote %s in %d min %d s%n", out, took.toMinutes(), took.toSecondsPart());
    }

    /** What else the CPUs were doing: /proc/loadavg's first three numbers (1, 5 and 15 minutes). */
    static String loadAverage() {
        try {
            return String.join(", ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first line a benchmark prints: what runs, on what. */
    static void announce(PrintStream progress, String benchmark, String plan, HostReport host) {
        progress.printf("Atomic %s benchmark, %s run: %d CPU(s), %s profile%n", benchmark, plan,
                host.cpu().logicalCpus(), profile(host.reservation()));
    }
}
