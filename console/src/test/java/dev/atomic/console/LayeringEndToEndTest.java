package dev.atomic.console;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.atomic.console.EventEndToEndTest.awaitLine;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strict layering and the security bridge, on one booted system. Seed 000's circular dependency: a service that
 * needs a driver of the kernel below, whose work needs the service's approval from above; strict layering makes each
 * way end, long before any deadline: an order down completes; the approval that would close the cycle is refused at
 * once, naming it; a blocking call down is refused. Beside them an observer sees the others start, fail and work, and
 * can change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayeringEndToEndTest {
    private Path logs;
    private RunningAtomic atomic;
    private long diskPid;

    /** @param home one for the class: made before the boot, removed after the last test */
    @BeforeAll
    void boot(@TempDir Path home) throws Exception {
        String instance = "test-layering-" + ProcessHandle.current().pid();
        logs = home.resolve("logs").resolve(instance);
        atomic = new RunningAtomic(instance, home, "--system", LayeringSystems.NAME);
        diskPid = Long.parseLong(atomic.await("disk ready \\(pid (\\d+)\\)", RunningAtomic.BOOT).group(1));
        atomic.await("^ready in \\d+ ms", RunningAtomic.BOOT);
    }

    @AfterAll
    void stop() throws Exception {
        atomic.terminate();
        assertTrue(atomic.process.waitFor(30, TimeUnit.SECONDS));
        atomic.close();
    }

    @Test
    void theCircularDependencyCompletesOrFailsFastNeverHangs() throws Exception {
        Path clerk = logs.resolve("clerk.log");
        assertEnds(awaitLine(clerk, "clerk: plain: "), "", "ledger: written by disk");
        assertEnds(awaitLine(clerk, "clerk: approved: "), "failed: ", "call to ledger would close a wait-for cycle: "
                + "disk → ledger → disk (ledger is already waiting on disk)");
        assertEnds(awaitLine(clerk, "clerk: blocking: "), "failed: ", "strict layering: ledger (services) may not wait "
                + "synchronously on disk (dak), a lower kernel; orders flow downward asynchronously");
        awaitAudit("\"component\":\"disk\",\"kind\":\"cycle\",\"detail\":\"call to ledger refused: it would close the "
                + "wait-for cycle disk → ledger → disk\"");
        awaitAudit("\"component\":\"ledger\",\"kind\":\"layering\",\"detail\":\"strict layering: ledger (services) may "
                + "not wait synchronously on disk (dak)");
    }

    @Test
    void anObserverSeesStartsFaultsAndCallsAndCanChangeNothing() throws Exception {
        Path watcher = logs.resolve("watcher.log");
        // Up before the watcher or after it: told it started, or on the watcher's start that it was running.
        assertTrue(awaitLineWhere(watcher, "watcher: saw ", line -> line.matches("watcher: saw (started|running) disk .*"))
                .contains("pid=" + diskPid), "its first start");
        // The clerk made its three calls (more while the disk was starting), and the ledger answered them.
        awaitLineWhere(watcher, "watcher: telemetry clerk {state=ready", line -> count(line, "callsMade") >= 3);
        awaitLineWhere(watcher, "watcher: telemetry ledger {state=ready", line -> count(line, "callsAnswered") >= 3);

        // Everything it tried to change was refused, and the disk was never restarted nor stopped by it.
        awaitLine(watcher, "watcher: tried a call and two orders");
        awaitLine(watcher, "watcher: what it received is read-only");
        awaitAudit("\"component\":\"watcher\",\"kind\":\"not-granted\",\"detail\":\"watcher is not granted 'ledger'\"");
        awaitAudit("\"component\":\"watcher\",\"kind\":\"unknown-type\",\"detail\":\"frame of type RESTART is not "
                + "allowed on a component lane\"");
        awaitAudit("\"component\":\"watcher\",\"kind\":\"unknown-type\",\"detail\":\"frame of type STOP is not allowed "
                + "on a component lane\"");
        assertTrue(ProcessHandle.of(diskPid).map(ProcessHandle::isAlive).orElse(false), "the disk runs on");

        // A fault: it sees it, and the restart.
        ProcessHandle.of(diskPid).orElseThrow().destroyForcibly();
        String fault = awaitLine(watcher, "watcher: saw fault disk ");
        assertTrue(fault.contains("process " + diskPid + " is gone"), fault);
        String back = awaitLineWhere(watcher, "watcher: saw started disk ", line -> line.contains("restarts=1"));
        assertFalse(back.contains("pid=" + diskPid + ","), "a new process: " + back);
        assertFalse(atomic.transcript().contains("restarting disk (dak) as planned"), "no restart the watcher ordered");
    }

    /** The first line of a component's log starting with {@code prefix} that also passes {@code test}. */
    private static String awaitLineWhere(Path log, String prefix, java.util.function.Predicate<String> test)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith(prefix) && test.test(line)) {
                        return line;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line starting with '" + prefix + "' as wanted in " + log + ":\n"
                + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }

    private static long count(String line, String fact) {
        Matcher m = Pattern.compile(fact + "=(\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Waits for a record in audit.jsonl (written every 2 s) holding {@code text}. */
    private void awaitAudit(String text) throws Exception {
        Path audit = logs.resolve("audit.jsonl");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            if (Files.exists(audit) && Files.readString(audit).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no audit record with " + text + " in " + Files.readString(audit));
    }

    /**
     * The clerk's line starts with {@code how} and says {@code what}: the call ended by a refusal or an answer, not by
     * waiting out its deadline. Not judged by its time: on a loaded host a refusal passed down a chain of calls can
     * take longer than the deadline to arrive, and still be a refusal.
     */
    private static void assertEnds(String line, String how, String what) {
        Matcher m = Pattern.compile("clerk: \\w+: (.*) \\(in (\\d+) ms\\)").matcher(line);
        assertTrue(m.matches(), line);
        assertTrue(m.group(1).startsWith(how) && m.group(1).contains(what), line);
        assertFalse(m.group(1).contains("got no answer within"), "not by waiting out its deadline: " + line);
    }
}
