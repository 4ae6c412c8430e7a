package dev.atomic.console;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tiers in a real Atomic: three Tier 1 services in the services kernel's partition host. One storms and is cut off
 * while it runs: unloaded alone, demoted at once. One crashes on command, is unloaded and reloaded in that same
 * process, its neighbour serving throughout, and on its third failure in a minute is demoted to Tier 2: started in
 * a process of its own, its report saying so.
 */
class TierEndToEndTest {
    private static final Duration BOOT = RunningAtomic.BOOT;
    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void aCrashingTier1ComponentIsReloadedBesideItsNeighbourThenDemotedToAProcessOfItsOwn() throws Exception {
        String instance = "test-tiers-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home, "--system", TierSystems.NAME)) {
            long partition = Long.parseLong(atomic.await("started the services partition host \\(pid (\\d+)\\)", BOOT)
                    .group(1));
            atomic.await("dak .* caller ready", BOOT);
            String booted = status(instance);
            assertTrue(booted.contains("component steady (services) pid " + partition + " ready, generation 0, tier 1"),
                    booted);
            assertTrue(booted.contains("component crasher (services) pid " + partition + " ready, generation 0, tier 1"),
                    booted);
            long[] before = awaitCalls(0);
            assertEquals(partition, before[2], "steady answers from the partition host");
            assertTrue(Files.readString(counts()).trim().endsWith("/atomic.component.steady"),
                    "steady runs in a module layer of its own: " + Files.readString(counts()));

            Path orders = home.resolve("state").resolve(instance).resolve("partition-services");
            // A live fault: the stormer floods until the Engine cuts it off. Its partition host unloads it alone and
            // lives on; it is demoted at once and comes back in a process of its own.
            Files.writeString(orders.resolve("storm"), "now");
            String storm = atomic.await("audit stormer: .*cut off.*", STEP).group();
            assertTrue(storm.contains("unloaded from its partition host (pid " + partition + "), whose other "
                    + "components run on"), storm);
            assertTrue(storm.contains("demoted to Tier 2"), storm);
            long stormer = Long.parseLong(atomic.await("stormer \\(services\\) is back: pid (\\d+)", STEP).group(1));
            assertNotEquals(partition, stormer, "the stormer is in a process of its own");
            assertTrue(ProcessHandle.of(partition).isPresent(), "the partition host lives on:\n" + atomic.transcript()
                    + Files.readString(home.resolve("logs").resolve(instance).resolve("partition-services.log")));
            Files.delete(orders.resolve("storm"));
            long crasher = 0;
            for (int crash = 1; crash <= 3; crash++) {
                Files.writeString(orders.resolve("crash"), crash == 2 ? "exit" : "throw");
                // Each fault is audited in full; the console folds repeated FAULT lines into one.
                String fault = atomic.await("audit crasher: .*", STEP).group();
                assertTrue(fault.contains(crash == 2 ? "unloaded from its partition host: it exited: asked to exit"
                        : "unloaded from its partition host: its thread 'crash-on-command' died: "
                        + "java.lang.IllegalStateException: crashed on command"), fault);
                assertTrue(fault.contains("pid " + partition + ", lives on"), fault);
                assertEquals(crash == 3, fault.contains("demoted to Tier 2"), fault);
                long back = Long.parseLong(atomic.await("crasher \\(services\\) is back: pid (\\d+)", STEP).group(1));
                assertEquals(crash < 3, back == partition, "reloaded in the partition host until demoted: " + back);
                crasher = back;
                assertTrue(ProcessHandle.of(partition).isPresent(), "the partition host lives on");
            }
            String demoted = status(instance);
            assertTrue(demoted.contains("component crasher (services) pid "), demoted);
            assertTrue(demoted.contains("tier 2 (demoted from tier 1)"), demoted);
            assertTrue(demoted.contains("component steady (services) pid " + partition + " ready, generation 0, tier 1"),
                    "steady was never restarted:\n" + demoted);
            assertTrue(!demoted.contains("component crasher (services) pid " + partition + " "),
                    "the crasher is in a process of its own:\n" + demoted);

            long[] after = awaitCalls(before[0] + 50);
            assertEquals(0, after[1], "steady never failed a call while its neighbour crashed");
            assertEquals(partition, after[2]);
            // Repeated faults are folded into one report, written a little later.
            String faults = faults(instance);
            for (long end = System.nanoTime() + STEP.toNanos(); !faults.contains("demoted to Tier 2")
                    && System.nanoTime() < end; faults = faults(instance)) {
                Thread.sleep(200);
            }
            assertTrue(faults.contains("demoted to Tier 2"), faults);
            assertTrue(!faults.contains("steady"), "no fault of steady's:\n" + faults);
            // What the Engine did to each, and why, as 'atomic explain' says it: newest first.
            String explained = explain(instance, "crasher", "demoted to Tier 2");
            List<String> done = explained.lines().dropWhile(l -> !l.startsWith("  What the Engine did to it"))
                    .skip(1).toList();
            assertEquals(3, done.stream().filter(l -> l.contains("a fault: ") && l.contains("restarting")).count(),
                    explained);
            assertTrue(done.getFirst().contains("demoted to Tier 2") && done.getFirst().contains("why: EXIT: unloaded "
                    + "from its partition host: its thread 'crash-on-command' died"), "the last fault first:\n"
                    + explained);
            assertTrue(done.get(1).contains("why: EXIT: unloaded from its partition host: it exited: asked to exit"),
                    explained);
            assertTrue(done.stream().allMatch(l -> l.endsWith("decided by the Engine's own rules")), explained);
            String stormed = explain(instance, "stormer", "cut off");
            assertTrue(stormed.contains("why: STORM: storm: more than 1000 frames/s"), stormed);
            assertTrue(stormed.contains("throttled: its lanes read no further than its budget of 1000 frames/s"),
                    stormed);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli("explain", "crasher", "--json",
                    "--instance", instance, "--home", home.toString()));
            assertEquals("fault", json.get("actions").get(0).get("kind").asText(), json.toString());
            assertEquals("engine", json.get("actions").get(0).get("by").asText());
            String crasherLog = Files.readString(home.resolve("logs").resolve(instance).resolve("crasher.log"));
            assertTrue(crasherLog.contains("crasher: failed, unloaded: it exited: asked to exit"), crasherLog);
            assertTrue(!crasherLog.contains("crasher: stopped"), "it failed, it was not stopped:\n" + crasherLog);

            // The partition host's death is each of its components' death: steady comes back in a new one.
            ProcessHandle.of(partition).orElseThrow().destroyForcibly();
            long next = Long.parseLong(atomic.await("steady \\(services\\) is back: pid (\\d+)", STEP).group(1));
            assertNotEquals(partition, next);
            String after2 = status(instance);
            assertTrue(after2.contains("component steady (services) pid " + next + " ready, generation 1, tier 1"),
                    "restarted once, in a new partition host:\n" + after2 + "\n" + atomic.transcript());
            assertTrue(after2.contains("component crasher (services) pid " + crasher + " ready"),
                    "the demoted crasher, in a process of its own, was not touched:\n" + after2);
        }
    }

    /** The caller's counts (answered, failed, pid) once it has more than {@code answered} answers. */
    private long[] awaitCalls(long answered) throws Exception {
        Path counts = counts();
        long end = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(counts)) {
                String[] said = Files.readString(counts).trim().split(" ");
                if (!said[2].equals("-") && Long.parseLong(said[0]) > answered) {
                    return new long[]{Long.parseLong(said[0]), Long.parseLong(said[1]),
                            Long.parseLong(said[2].split("/")[0])};
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the caller got no more than " + answered + " answers from steady");
    }

    private Path counts() throws Exception {
        return home.resolve("state").resolve(instanceDir()).resolve("caller").resolve("counts");
    }

    private String instanceDir() throws Exception {
        try (var dirs = Files.list(home.resolve("state"))) {
            return dirs.findFirst().orElseThrow().getFileName().toString();
        }
    }

    private String status(String instance) {
        return cli("status", "--instance", instance, "--home", home.toString());
    }

    /** 'atomic explain', once it says {@code what}: the Engine writes what it did once a second. */
    private String explain(String instance, String component, String what) throws InterruptedException {
        String said = "";
        for (long end = System.nanoTime() + STEP.toNanos(); System.nanoTime() < end; Thread.sleep(200)) {
            said = cli("explain", component, "--instance", instance, "--home", home.toString());
            if (said.contains(what)) {
                return said;
            }
        }
        throw new AssertionError("'atomic explain " + component + "' never said '" + what + "':\n" + said);
    }

    private String faults(String instance) {
        return cli("faults", "--instance", instance, "--home", home.toString());
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        var cli = new picocli.CommandLine(new AtomicCli());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute(args));
        return out.toString();
    }
}
