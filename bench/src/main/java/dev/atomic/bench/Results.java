package dev.atomic.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.atomic.auditor.HostReport;
import dev.atomic.auditor.Reservation;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A results file: which benchmark, when, on what machine and profile, how it was measured, and its figures.
 *
 * @param profile the Auditor's profile and mode on this host, such as {@code lean/shared}
 */
@JsonPropertyOrder({"benchmark", "date", "machine", "profile", "java", "method", "figures"})
public record Results(String benchmark, String date, Machine machine, String profile, String java, String method,
                      List<Figure> figures) {

    public Results {
        figures = List.copyOf(figures);
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

    /** The first line a benchmark prints: what runs, on what. */
    static void announce(PrintStream progress, String benchmark, String plan, HostReport host) {
        progress.printf("Atomic %s benchmark, %s run: %d CPU(s), %s profile%n", benchmark, plan,
                host.cpu().logicalCpus(), profile(host.reservation()));
    }
}
