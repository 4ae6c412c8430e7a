package dev.atomic.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Atomic setting of the recovery benchmark: boots {@link RecoverySystem} (with a warm spare for the responder, or
 * without), waits for the component hosts' AOT cache, then kills the responder with SIGKILL again and again under the
 * client's traffic — with a spare, each time once the new spare is ready — and reads each recovery from the client's
 * outages.
 */
final class RecoveryRun {
    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final Duration RECOVERY = Duration.ofSeconds(30);
    /** Once the component is back, how long its client has to say its outage ended, or it saw none. */
    private static final Duration UNNOTICED = Duration.ofSeconds(10);
    private static final Duration STOP = Duration.ofSeconds(30);
    /** Kills further apart than the restart window (1 s): each restart is a first one, with no back-off delay. */
    static final Duration APART = Duration.ofMillis(1100);
    /** Host starts timed each way, with the AOT cache and without, after the cold restart's kills. */
    static final int AOT_RUNS = 10;
    private static final Pattern STARTED = Pattern.compile("services .*" + RecoverySystem.RESPONDER + " ready \\(pid (\\d+)\\)");
    private static final Pattern SPARES = Pattern.compile("^  spares ");
    private static final Pattern AOT = Pattern.compile("^  aot .*" + RecoverySystem.RESPONDER + " (\\d+ MiB|NONE)");
    private static final Pattern BACK = Pattern.compile(RecoverySystem.RESPONDER + " \\(services\\) is back: pid (\\d+)");
    private static final Pattern SPARE_READY = Pattern.compile("a warm spare for " + RecoverySystem.RESPONDER
            + " is ready \\(pid (\\d+)");

    private RecoveryRun() {
    }

    /** The Engine's switch for the host locks (HostLocks.SWITCH): off, a death is heard from the pidfd alone. */
    static final String HOST_LOCKS_SWITCH = "ATOMIC_ENGINE_HOST_LOCKS";

    /** @param hostLocks whether the Engine hears a death from the host's lock; else from its pidfd alone */
    static RecoverySide measure(boolean warm, boolean hostLocks, int kills, PrintStream progress)
            throws InterruptedException {
        String label = (warm ? "warm spare" : "cold restart") + (hostLocks ? "" : ", pidfd alone");
        Path home = null;
        try {
            home = Files.createTempDirectory("atomic-bench-recovery-");
            // Searchable, as a home Atomic makes is: sandboxed components, as nobody, reach their state through it.
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
            return run(warm, hostLocks, label, kills, home, progress);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            progress.println();
            return RecoverySide.none(label, "failed: " + e.getMessage());
        } finally {
            if (home != null) {
                AtomicRun.deleteTree(home);
            }
        }
    }

    private static RecoverySide run(boolean warm, boolean hostLocks, String label, int kills, Path home,
                                    PrintStream progress) throws Exception {
        String instance = AtomicRun.newInstance();
        String system = warm ? RecoverySystem.WARM : RecoverySystem.COLD;
        Outages outages = Outages.inFile(home.resolve("state").resolve(instance).resolve("client")
                .resolve(RecoverySystem.OUTAGES));
        java.util.Map<String, String> env = hostLocks ? java.util.Map.of(ChildJvm.POLICIES_SWITCH, "off")
                : java.util.Map.of(ChildJvm.POLICIES_SWITCH, "off", HOST_LOCKS_SWITCH, "off");
        try (ChildJvm atomic = ChildJvm.start(BenchChild.atomicArgs(system, instance, home, true), env)) {
            try {
                long responder = Long.parseLong(atomic.awaitMatch(STARTED, BOOT).group(1));
                atomic.awaitMatch(SPARES, BOOT);
                String cache = atomic.awaitMatch(AOT, BOOT).group(1);
                List<Double> recoveries = new ArrayList<>();
                int throughSpare = 0;
                int unnoticed = 0;
                long lastKill = System.nanoTime() - APART.toNanos();
                for (int kill = 1; kill <= kills; kill++) {
                    long wait = lastKill + APART.toNanos() + ThreadLocalRandom.current().nextLong(200_000_000)
                            - System.nanoTime();
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, wait));
                    long killAt = System.nanoTime();
                    ProcessHandle.of(responder).ifPresent(ProcessHandle::destroyForcibly);
                    lastKill = killAt;
                    Matcher back = atomic.awaitMatch(BACK, RECOVERY);
                    long next = Long.parseLong(back.group(1));
                    OptionalLong end = outages.endAfter(killAt, UNNOTICED.toNanos());
                    if (end.isEmpty()) {
                        // Back (the Engine said so) before the client's next call: no failed call, no outage to time.
                        // Not counted, which leaves the slower recoveries: the figures err long, never short.
                        unnoticed++;
                        progress.print(" -");
                    } else {
                        double ms = (end.getAsLong() - killAt) / 1e6;
                        recoveries.add(ms);
                        progress.printf(" %.1f", ms);
                    }
                    if (warm && atomic.transcript().stream().anyMatch(l -> l.contains("the warm spare (pid " + next
                            + ") becomes"))) {
                        throughSpare++;
                    }
                    progress.flush();
                    responder = next;
                    if (warm) {
                        atomic.awaitMatch(SPARE_READY, RECOVERY); // the next kill finds a spare waiting
                    }
                }
                progress.println();
                AotStart aot = warm ? null : AotStart.measure(responder, AOT_RUNS);
                atomic.terminate(STOP);
                String note = "AOT cache: " + (cache.equals("NONE") ? "none" : cache)
                        + (warm ? "; " + throughSpare + " of " + kills + " restarts through the spare" : "")
                        + (unnoticed > 0 ? "; " + unnoticed + " kill(s) the client never noticed (back before its next "
                        + "call), not counted" : "");
                return new RecoverySide(label, recoveries, note, null, aot);
            } catch (IllegalStateException e) {
                List<String> said = atomic.transcript();
                throw new IllegalStateException(e.getMessage() + "; Atomic said last: "
                        + String.join(" | ", said.subList(Math.max(0, said.size() - 5), said.size())), e);
            }
        }
    }
}
