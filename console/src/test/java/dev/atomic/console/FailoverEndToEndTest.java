package dev.atomic.console;

import dev.atomic.bridge.ControlRegion;
import dev.atomic.bridge.MirrorRegion;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * How a dead Engine is replaced: with the state mirror, a call in flight is answered through the Engine that took
 * over; a mirror with a flipped byte is refused, said, and the system works on; without a standby, a cold Engine
 * takes over within the restart budget.
 */
class FailoverEndToEndTest {
    private static final Duration BOOT = RunningAtomic.BOOT;
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void withoutAStandbyAColdEngineTakesOverWithinTheRestartBudget() throws Exception {
        String instance = "test-cold-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--no-standby", "--engine-restarts", "1")) {
            long engine = Long.parseLong(atomic.await("engine .* pid (\\d+), attached", BOOT).group(1));
            atomic.await("^ready in \\d+ ms", BOOT);
            kill9(engine);
            atomic.await("the Engine \\(pid " + engine + "\\) died with status 137; the components keep running; "
                    + "no warm standby is kept, starting a new Engine", RECOVERY);
            long cold = Long.parseLong(atomic.await("a new Engine \\(pid (\\d+)\\) took over", RECOVERY).group(1));
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", RECOVERY);
            kill9(cold);
            atomic.await("the Engine died 2 times in a minute \\(last status 137\\); giving up", RECOVERY);
            assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS), atomic.transcript());
            atomic.await("Atomic stopped: ", Duration.ofSeconds(5));
            assertFalse(atomic.transcript().contains("is warm and waiting"), "a standby was started:\n"
                    + atomic.transcript());
        }
    }

    @Test
    void aCallInFlightIsAnsweredAcrossAKillAndAFlippedByteInTheMirrorIsFoundAndSurvived() throws Exception {
        String instance = "test-holdover-" + ProcessHandle.current().pid();
        Path asker = home.resolve("logs").resolve(instance).resolve("asker.log");
        Path holder = home.resolve("logs").resolve(instance).resolve("holder.log");
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", HoldoverSystems.NAME,
                "--engine-restarts", "5")) {
            // The Sovereign's lines and the Engines' come in no fixed order: each is looked for in all that was said.
            long sovereign = Long.parseLong(said(atomic, "Sovereign pid (\\d+)\\)", 1, BOOT).group(1));
            long engine = Long.parseLong(said(atomic, "engine .* pid (\\d+), attached", 1, BOOT).group(1));
            said(atomic, WARM, 1, BOOT);

            // The holder keeps call n while the Engine that forwarded it dies; the one that takes over answers it.
            long n = nextHeld(holder, -1);
            kill9(engine);
            long successor = Long.parseLong(said(atomic, "the warm standby \\(pid (\\d+)\\) took over", 1, RECOVERY)
                    .group(1));
            said(atomic, "carried on from its state mirror \\(generation \\d+\\): 1 call\\(s\\) in flight kept", 1,
                    RECOVERY);
            awaitLine(asker, "answered " + n + ": held " + n);
            assertFalse(Files.readString(asker).contains("failed " + n + ":"), Files.readString(asker));

            // A byte of the next held call's record flips: the next Engine finds it, says so, and rebuilds.
            said(atomic, WARM, 2, RECOVERY);
            long m = nextHeld(holder, n);
            int record = flipAByteOfTheCallInFlight(sovereign);
            kill9(successor);
            said(atomic, "its state mirror cannot be trusted \\(in-flight record " + record + ": it fails its "
                    + "checksum\\): rebuilt from the components", 1, RECOVERY);
            awaitLine(asker, "failed " + m + ": the Engine restarted while the call was under way");
            awaitLine(asker, "answered " + (m + 1) + ": held " + (m + 1));

            // The standby meant to take over dies on its way (stopped, so that it cannot take the seat first, then
            // killed while the Sovereign waits for it): another Engine is started in its place; Atomic carries on.
            long standby = Long.parseLong(said(atomic, "the standby Engine \\(pid (\\d+)\\) is warm and waiting", 3,
                    RECOVERY).group(1));
            long third = Long.parseLong(said(atomic, "the warm standby \\(pid (\\d+)\\) took over", 2, RECOVERY)
                    .group(1));
            long before = nextHeld(holder, m + 1);
            signal("STOP", standby);
            kill9(third);
            TimeUnit.MILLISECONDS.sleep(300); // the Sovereign has seen the death and waits for its standby
            kill9(standby);
            said(atomic, "the Engine meant to take over \\(pid " + standby + "\\) did not: the Engine did not come up "
                    + "\\(it exited", 1, RECOVERY);
            said(atomic, "a new Engine \\(pid \\d+\\) took over", 1, RECOVERY);
            long after = nextHeld(holder, before);
            awaitLine(asker, "answered " + after + ": held " + after);
            assertFalse(atomic.transcript().contains("Atomic stopped"), atomic.transcript());
        }
    }

    private static final String WARM = "the standby Engine \\(pid \\d+\\) is warm and waiting";

    /** The {@code count}th match of {@code regex} in all Atomic said so far, waiting for it. */
    private static Matcher said(RunningAtomic atomic, String regex, int count, Duration timeout) throws Exception {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String transcript = atomic.transcript();
            Matcher m = p.matcher(transcript);
            for (int found = 0; m.find(); ) {
                if (++found == count) {
                    return m;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return fail("said no " + count + " line(s) matching /" + regex + "/ within " + timeout.toSeconds()
                + " s:\n" + atomic.transcript());
    }

    /** The number of the next call the holder says it holds, after {@code after}. */
    private static long nextHeld(Path holder, long after) throws Exception {
        Pattern holding = Pattern.compile("^holding (\\d+)$", Pattern.MULTILINE);
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(holder)) {
                Matcher m = holding.matcher(Files.readString(holder));
                long last = -1;
                while (m.find()) {
                    last = Long.parseLong(m.group(1));
                }
                if (last > after) {
                    return last;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return fail("the holder held no call after " + after);
    }

    private static void awaitLine(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + RECOVERY.toNanos() + HoldoverSystems.HOLD.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).lines().anyMatch(l -> l.startsWith(line))) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        fail("no line '" + line + "' in " + log + ":\n" + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }

    /**
     * Flips one byte of the one live in-flight record of the Engine's state mirror, in the Sovereign's control region
     * (opened through the Sovereign's descriptor for it, as the Engine opens it). Returns the record's number.
     */
    private static int flipAByteOfTheCallInFlight(long sovereign) throws Exception {
        Path region;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(sovereign), "fd"))) {
            region = fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().contains("memfd:atomic-control");
                } catch (java.io.IOException gone) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
        try (ControlRegion control = ControlRegion.attach(SharedMemory.open(region))) {
            MirrorRegion mirror = control.mirror();
            for (int i = 0; i < mirror.count(MirrorRegion.IN_FLIGHT); i++) {
                if (mirror.read(MirrorRegion.IN_FLIGHT, i).status() == MirrorRegion.Status.VALID) {
                    int at = mirror.offsetOf(MirrorRegion.IN_FLIGHT, i) + MirrorRegion.RECORD_HEADER + 16;
                    mirror.buffer().putByte(at, (byte) (mirror.buffer().getByte(at) ^ 0x40));
                    return i;
                }
            }
        }
        return fail("no call in flight in the mirror");
    }

    private static void kill9(long pid) throws Exception {
        signal("KILL", pid);
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor());
    }
}
