package dev.atomic.bench;

import dev.atomic.sovereign.EngineFailover;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One setting of the failover benchmark: boots {@link FailoverSystem} in a real Atomic, with or without a warm
 * standby Engine, and kills the active Engine with SIGKILL again and again under the caller's steady traffic — with
 * a standby, each time only once the new standby says it is warm — reading every takeover from what the Sovereign
 * prints. Then it asks the caller to stop, reads the caller's and the responder's books, and stops Atomic.
 */
final class FailoverRun {
    /** Far above any kill count: the benchmark measures failover, not the give-up rule. */
    static final int RESTARTS_PER_MINUTE = 1000;
    private static final Duration BOOT = Duration.ofMinutes(2);
    /** After boot, before the first kill: the traffic is steady, the components compiled. */
    static final Duration SETTLE = Duration.ofSeconds(3);
    private static final Duration TAKEOVER = Duration.ofSeconds(30);
    private static final Duration BOOKS = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final Pattern ATTACHED = Pattern.compile("^\\s+engine\\s+[\\d.]+ ms\\s+pid (\\d+), attached");
    private static final Pattern READY = Pattern.compile("^" + AtomicRun.READY);
    private static final Pattern WARM = Pattern.compile("the standby Engine \\(pid (\\d+)\\) is warm and waiting");
    private static final Pattern TOOK_OVER = Pattern.compile(
            "(?:the warm standby|a new Engine) \\(pid (\\d+)\\) took over in [\\d.]+ ms"
                    + "( \\(it had not said it was warm)?");
    private static final Pattern ROUTED_OR_WARM = Pattern.compile(Takeover.LINE.pattern() + "|" + WARM.pattern());

    private FailoverRun() {
    }

    static FailoverSide measure(boolean warm, int kills, PrintStream progress) throws InterruptedException {
        Path home = null;
        try {
            home = Files.createTempDirectory("atomic-bench-failover-");
            // Searchable, as a home Atomic makes is: sandboxed components, as nobody, reach their state through it.
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
            return run(warm, kills, home, progress);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return FailoverSide.none(warm, "failed: " + e.getMessage());
        } finally {
            if (home != null) {
                AtomicRun.deleteTree(home);
            }
        }
    }

    private static FailoverSide run(boolean warm, int kills, Path home, PrintStream progress) throws Exception {
        String instance = AtomicRun.newInstance();
        Path state = home.resolve("state").resolve(instance);
        try (ChildJvm atomic = ChildJvm.start(BenchChild.atomicArgs(FailoverSystem.NAME, instance, home, true,
                new EngineFailover(RESTARTS_PER_MINUTE, warm)))) {
            try {
                return kill(atomic, warm, kills, state, progress);
            } catch (IllegalStateException e) {
                List<String> said = atomic.transcript();
                throw new IllegalStateException(e.getMessage() + "; Atomic said last: "
                        + String.join(" | ", said.subList(Math.max(0, said.size() - 5), said.size())), e);
            }
        }
    }

    private static FailoverSide kill(ChildJvm atomic, boolean warm, int kills, Path state, PrintStream progress)
            throws Exception {
        List<Takeover> takeovers = new ArrayList<>();
        int unrouted = 0;
        long engine = pid(atomic.awaitMatch(ATTACHED, BOOT));
        atomic.awaitMatch(READY, BOOT);
        TimeUnit.NANOSECONDS.sleep(SETTLE.toNanos());
        for (int kill = 1; kill <= kills; kill++) {
            if (warm) {
                awaitWarmStandby(atomic, kill);
            }
            // Somewhere in the traffic, in step with nothing.
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(100, 400));
            ProcessHandle.of(engine).ifPresent(ProcessHandle::destroyForcibly);
            Matcher took = atomic.awaitMatch(TOOK_OVER, TAKEOVER);
            engine = pid(took);
            Matcher next = atomic.awaitMatch(warm ? ROUTED_OR_WARM : Takeover.LINE, TAKEOVER);
            // Without a failover line (the new standby spoke first), nothing was routed within the Sovereign's wait.
            Optional<Takeover> takeover = Takeover.parse(next.group(), took.group(2) != null);
            takeover.ifPresent(takeovers::add);
            unrouted += takeover.isEmpty() ? 1 : 0;
            progress.print(takeover.map(t -> String.format(" %.1f (%.1f/%.1f/%.1f)", t.failover(), t.deathSeen(),
                    t.ready(), t.firstRouted())).orElse(" (nothing routed)"));
            progress.flush();
        }
        progress.println();
        Files.writeString(state.resolve("caller").resolve(FailoverSystem.STOP_FILE), "stop\n");
        String calls = awaitFile(atomic, state.resolve("caller").resolve(FailoverCaller.RESULT_FILE));
        Files.writeString(state.resolve("responder").resolve(FailoverSystem.REPORT_FILE), "report\n");
        FailoverLedger.Losses losses = FailoverLedger.losses(FailoverLedger.decodeCalls(calls),
                FailoverLedger.decodeAnswers(awaitFile(atomic, state.resolve("responder")
                        .resolve(FailoverResponder.RESULT_FILE))));
        atomic.terminate(STOP);
        if (!atomic.said(AtomicRun.STOPPED)) {
            throw new IllegalStateException("Atomic did not report a clean stop");
        }
        if (losses.phantoms() > 0) {
            throw new IllegalStateException("the books do not add up: " + losses.phantoms()
                    + " replies reached the caller that the responder never gave");
        }
        return new FailoverSide(warm, takeovers, unrouted, losses, null);
    }

    /** Each takeover starts one standby: before kill {@code n}, the {@code n}th must have said it is warm. */
    private static void awaitWarmStandby(ChildJvm atomic, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TAKEOVER.toNanos();
        while (atomic.transcript().stream().filter(l -> WARM.matcher(l).find()).count() < n) {
            if (!atomic.alive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no new standby Engine said it was warm within " + TAKEOVER.toSeconds()
                        + " s");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static String awaitFile(ChildJvm atomic, Path file) throws Exception {
        long deadline = System.nanoTime() + BOOKS.toNanos();
        while (!Files.exists(file)) {
            if (!atomic.alive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(file.getFileName() + " did not appear within " + BOOKS.toSeconds()
                        + " s of asking the caller to stop");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return Files.readString(file);
    }

    private static long pid(Matcher m) {
        return Long.parseLong(m.group(1));
    }
}
