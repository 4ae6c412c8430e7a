package dev.atomic.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the carving benchmark measured with carving on, or off: the prober's round trips and what became of the bad
 * neighbours, every boot of that setting pooled. A setting whose boot failed has no probes and says why.
 *
 * @param probes       the prober's timed calls, or null when none were measured
 * @param failedProbes of those, the calls that failed (timed like the others)
 * @param leakerDeaths how often the leaker died (the Engine's fault reports): with carving on, its memory limit
 * @param leakerGivenUp boots in which the Engine gave up on the leaker (its restart budget spent)
 * @param leakerPeakMiB the most memory the leaker said it held, in any of its lives
 * @param carveStage   what the Sovereign's carve stage said in the first boot: the limits applied, or that none were
 * @param hogThreads   how many threads the hog said it spun
 * @param status       the {@code atomic status} requests timed meanwhile ({@link StatusProber}), or null
 * @param failedStatus of those, the requests the Sovereign did not answer
 */
record CarvingSide(boolean carve, Measurement probes, long failedProbes, int boots, int leakerDeaths,
                   int leakerRestarts, int leakerGivenUp, long leakerPeakMiB, String carveStage, int hogThreads,
                   String whyNone, Measurement status, long failedStatus) {
    static final String LEAKER_LOG = "leaker.log";
    static final String HOG_LOG = "hog.log";
    private static final Pattern CARVE = Pattern.compile("\\s*carve\\s+[0-9.]+ ms\\s+(.*)");
    private static final Pattern HELD = Pattern.compile(Pattern.quote(Leaker.HELD) + "(\\d+) MiB");
    private static final Pattern SPINNING = Pattern.compile(Pattern.quote(Hog.SPINNING) + "(\\d+) thread");

    String label() {
        return carve ? "carving on" : "carving off";
    }

    static CarvingSide none(boolean carve, String why) {
        return new CarvingSide(carve, null, 0, 0, 0, 0, 0, 0, null, 0, why, null, 0);
    }

    /** Reads one boot: the prober's outcome ({@code <failed calls> <measurement>}), what Atomic said, the logs. */
    static CarvingSide of(boolean carve, AtomicRun.Boot boot) {
        String[] outcome = boot.outcome().strip().split(" ", 2);
        if (outcome.length != 2) {
            throw new IllegalArgumentException("not a prober outcome: " + boot.outcome());
        }
        List<String> said = boot.said();
        String carveStage = said.stream().map(CARVE::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .findFirst().orElse("(the Sovereign reported no carve stage)");
        String leakerLog = boot.logs().getOrDefault(LEAKER_LOG, "");
        long peak = leakerLog.lines().map(HELD::matcher).filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(0);
        int hogThreads = boot.logs().getOrDefault(HOG_LOG, "").lines().map(SPINNING::matcher).filter(Matcher::find)
                .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst().orElse(0);
        return new CarvingSide(carve, Measurement.decode(outcome[1]), Long.parseLong(outcome[0]), 1,
                count(said, "FAULT leaker ("), count(said, "restarting leaker ("),
                count(said, "gave up on leaker ") > 0 ? 1 : 0, peak, carveStage, hogThreads, null,
                boot.status() == null ? null : boot.status().requests(), boot.status() == null ? 0 : boot.status().failed());
    }

    /** Component logs the harness keeps from each boot, for {@link #of}. */
    static List<String> logs() {
        return List.of(LEAKER_LOG, HOG_LOG);
    }

    private static int count(List<String> said, String text) {
        return (int) said.stream().filter(l -> l.contains(text)).count();
    }

    /** Another boot of the same setting: probes pool, counts add up, a failure sticks. */
    CarvingSide plus(CarvingSide other) {
        if (probes == null) {
            return this;
        }
        if (other.probes == null) {
            return other;
        }
        return new CarvingSide(carve, probes.plus(other.probes), failedProbes + other.failedProbes,
                boots + other.boots, leakerDeaths + other.leakerDeaths, leakerRestarts + other.leakerRestarts,
                leakerGivenUp + other.leakerGivenUp, Math.max(leakerPeakMiB, other.leakerPeakMiB), carveStage,
                Math.max(hogThreads, other.hogThreads), null, status == null ? other.status
                : other.status == null ? status : status.plus(other.status), failedStatus + other.failedStatus);
    }

    /** The p-th percentile round trip in milliseconds, three significant digits; null when nothing was measured. */
    Double millis(double percentile) {
        return probes == null ? null : Target.significant(probes.micros(percentile) / 1000);
    }

    /** The p-th percentile of the status requests in milliseconds; null when none were timed. */
    Double statusMillis(double percentile) {
        return status == null || status.count() == 0 ? null
                : Target.significant(status.micros(percentile) / 1000);
    }

    Double maxMillis() {
        return probes == null ? null : Target.significant(probes.histogram().getMaxValue() / 1e6);
    }

    /** For the progress line. */
    String summary() {
        if (probes == null) {
            return whyNone;
        }
        return String.format("p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms; %d probes, %d failed; leaker died %d "
                        + "time(s), held at most %d MiB; status p50 %s ms, p99 %s ms", millis(50), millis(99),
                millis(99.9), maxMillis(), probes.count(), failedProbes, leakerDeaths, leakerPeakMiB, statusMillis(50),
                statusMillis(99));
    }
}
