package dev.atomic.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultLogTest {
    @TempDir
    Path dir;

    private static FaultReport policy(String component, String call) {
        return new FaultReport("", System.currentTimeMillis(), component, "dak", FaultReport.Kind.POLICY, call,
                "attempted " + call + "(0) by 1", Map.of("syscall", call), "denied with EPERM", 1000, -1, 1);
    }

    @Test
    void aMillionAttemptsAreAFewLinesAndHoldNobodyBack() throws Exception {
        List<String> said = new ArrayList<>();
        try (FaultLog log = new FaultLog(dir, said::add)) {
            for (int period = 0; period < 5; period++) {
                assertTrue(log.report(policy("intruder", "ptrace")), "the first of a period is written as it comes");
                for (int i = 1; i < 200_000; i++) {
                    assertFalse(log.report(policy("intruder", "ptrace")));
                }
                assertTrue(log.report(policy("echo", "ptrace")), "another component's report is not held back");
                log.period();
            }
            assertEquals(15, log.lines(), "per period: the first, the other component's, one count");
        }
        List<FaultReport> read = FaultLog.read(dir.resolve(FaultLog.FILE));
        assertEquals(15, read.size());
        assertEquals(1_000_000, read.stream().filter(r -> r.component().equals("intruder")).mapToLong(FaultReport::count)
                .sum(), "every attempt is counted");
        assertEquals(5, read.stream().filter(r -> r.component().equals("echo")).count());
        FaultReport folded = read.stream().filter(r -> r.count() > 1).findFirst().orElseThrow();
        assertEquals("ptrace", folded.attempt());
        assertTrue(folded.evidence().startsWith("199999 more like this"), folded.evidence());
        assertEquals(List.of(), said, "nothing to complain about");
    }

    @Test
    void everyDeathIsWrittenAsItselfEvenInACrashLoop() throws Exception {
        try (FaultLog log = new FaultLog(dir, s -> { })) {
            for (int i = 0; i < 6; i++) {
                assertTrue(log.report(new FaultReport(1L + i, "crasher", "dak", FaultReport.Kind.EXIT, "process " + i
                        + " is gone", i < 5 ? "restarting" : "given up: it failed 6 times")));
            }
            log.period();
            assertEquals(6, log.lines());
        }
        assertTrue(FaultLog.read(dir.resolve(FaultLog.FILE)).getLast().action().startsWith("given up"));
    }

    @Test
    void aReportIsOnDiskOnceWrittenNotAtThePeriodsEnd() throws Exception {
        try (FaultLog log = new FaultLog(dir, s -> { })) {
            log.report(new FaultReport(1L, "crasher", "dak", FaultReport.Kind.EXIT, "process 7 is gone",
                    "restarting"));
            assertEquals(1, log.lines());
            // Read while the log is open, before any period: what an Engine killed now would leave behind.
            assertEquals(List.of("process 7 is gone"), FaultLog.read(dir.resolve(FaultLog.FILE)).stream()
                    .map(FaultReport::evidence).toList());
        }
    }

    @Test
    void distinctAttemptsPastTheBoundShareOneLine() throws Exception {
        try (FaultLog log = new FaultLog(dir, s -> { })) {
            for (int i = 0; i < 10_000; i++) {
                log.report(policy("intruder", "call" + i));
            }
            log.period();
            assertEquals(FaultLog.KEYS_PER_COMPONENT + 1, log.lines());
        }
        List<FaultReport> read = FaultLog.read(dir.resolve(FaultLog.FILE));
        assertEquals(10_000, read.stream().mapToLong(FaultReport::count).sum());
    }

    @Test
    void aDeathWhoseSignalIsToldLaterBecomesACrash() throws Exception {
        try (FaultLog log = new FaultLog(dir, s -> { })) {
            FaultReport exit = new FaultReport(1L, "demo-app", "dak", FaultReport.Kind.EXIT, "process 12 is gone",
                    "restarting").withFacts(Map.of("pid", 12L, "exit", FaultLog.UNKNOWN_EXIT));
            log.report(exit);
            log.exitKnown("demo-app", 13, "killed by signal 9 (SIGKILL)"); // another process: not this report's
            log.recovered("demo-app", 5_000_000L);
            log.exitKnown("demo-app", 12, "killed by signal 9 (SIGKILL)");
            log.exitKnown("demo-app", 12, "exited with status 0"); // told once: the first word stands
        }
        List<FaultReport> read = FaultLog.read(dir.resolve(FaultLog.FILE));
        assertEquals(1, read.size(), read.toString());
        FaultReport r = read.getFirst();
        assertEquals(FaultReport.Kind.CRASH, r.kind());
        assertEquals("killed by signal 9 (SIGKILL)", r.facts().get("exit"));
        assertEquals("process 12 is gone (killed by signal 9 (SIGKILL))", r.evidence());
        assertEquals(5_000_000L, r.recoverNanos(), "the recovery written before is kept");
    }

    @Test
    void aSuccessorWritesTheRecoveryOfADeathItsPredecessorFiled() throws Exception {
        try (FaultLog predecessor = new FaultLog(dir, s -> { })) {
            predecessor.report(new FaultReport(1L, "demo-app", "dak", FaultReport.Kind.EXIT, "process 12 is gone",
                    "restarting in 100 ms").withFacts(Map.of("pid", 12L, "exit", FaultLog.UNKNOWN_EXIT)));
            predecessor.report(new FaultReport(2L, "echo", "services", FaultReport.Kind.CRASH, "process 13 is gone",
                    "restarting now").withFacts(Map.of("pid", 13L)));
            predecessor.recovered("echo", 7_000_000L);
        }
        try (FaultLog successor = new FaultLog(dir, s -> { })) {
            successor.carryOn(java.util.Set.of("demo-app", "echo"));
            successor.exitKnown("demo-app", 12, "killed by signal 9 (SIGKILL)");
            successor.recovered("demo-app", 150_000_000L);
            successor.recovered("echo", 1L); // back before the failover: its recovery stands
        }
        List<FaultReport> read = FaultLog.read(dir.resolve(FaultLog.FILE));
        assertEquals(2, read.size(), read.toString());
        FaultReport app = read.stream().filter(r -> r.component().equals("demo-app")).findFirst().orElseThrow();
        assertEquals(150_000_000L, app.recoverNanos());
        assertEquals(FaultReport.Kind.CRASH, app.kind(), "how it ended, told to the successor");
        assertEquals(7_000_000L, read.stream().filter(r -> r.component().equals("echo")).findFirst()
                .orElseThrow().recoverNanos());
    }

    @Test
    void aRecoveryRewritesItsReportAndReadersKeepTheLast() throws Exception {
        try (FaultLog log = new FaultLog(dir, s -> { })) {
            log.report(new FaultReport(1L, "demo-app", "dak", FaultReport.Kind.CRASH, "process 12 is gone",
                    "restarting").withDetect(2_000));
            log.recovered("demo-app", 150_000_000L);
            log.recovered("demo-app", 1L); // nothing awaits recovery any more
        }
        Files.writeString(dir.resolve(FaultLog.FILE), "{\"id\":\"torn", StandardOpenOption.APPEND);
        List<FaultReport> read = FaultLog.read(dir.resolve(FaultLog.FILE));
        assertEquals(1, read.size(), read.toString());
        assertEquals(FaultReport.Kind.CRASH, read.getFirst().kind());
        assertEquals(2_000, read.getFirst().detectNanos());
        assertEquals(150_000_000L, read.getFirst().recoverNanos());
        assertEquals(List.of(), FaultLog.read(dir.resolve("missing.jsonl")));
    }
}
