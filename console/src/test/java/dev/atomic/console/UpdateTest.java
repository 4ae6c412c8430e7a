package dev.atomic.console;

import dev.atomic.vault.Keys;
import dev.atomic.vault.Layer;
import dev.atomic.vault.ReleaseManifest;
import dev.atomic.vault.Vault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A/B updates on a live system: a release that changes the Engine and both kernels is staged and applied layer by
 * layer, then rolled back; a release whose app cannot start fails its gate and is undone by itself; and a power cut
 * (every Atomic process killed) at each step of an update leaves a system that boots one release, whole.
 */
class UpdateTest {
    private static final Duration BOOT = RunningAtomic.BOOT;

    @TempDir
    Path home;

    @Test
    void aStagedReleaseIsAppliedLayerByLayer_thenRolledBack() throws Exception {
        String instance = "test-upd-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            String r1 = firstBoot(atomic);
            String r2 = publishWithNote(r1, "r2");

            Cli stage = cli(instance, "stage", r2);
            assertEquals(0, stage.status, stage.out);
            assertTrue(stage.out.contains("engine: 1 file(s) differ"), stage.out);
            assertTrue(stage.out.contains("dak/demo-app: 1 file(s) differ"), stage.out);

            Cli apply = cli(instance, "apply", "--gate", "90s");
            assertEquals(0, apply.status, apply.out + atomic.transcript());
            assertTrue(apply.out.contains("engine: pid "), apply.out);
            assertTrue(apply.out.contains("runs release '" + r2 + "' and is ready: gate passed"), apply.out);
            assertTrue(apply.out.contains("services: console, digest, echo ready again from release '" + r2 + "'"),
                    apply.out);
            assertTrue(apply.out.contains("dak: demo-app, fs, input, sensor ready again from release '" + r2 + "'"),
                    apply.out);
            assertTrue(apply.out.contains("result: committed"), apply.out);
            assertRunsOnly(r2, r1);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);
            assertPointer(instance, r2, r1);
            StringWriter status = new StringWriter();
            var cli = new picocli.CommandLine(new AtomicCli());
            cli.setOut(new PrintWriter(status, true));
            assertEquals(0, cli.execute("status", "--instance", instance, "--home", home.toString()));
            for (String layer : List.of("engine", "services", "dak")) {
                assertTrue(status.toString().contains("release  " + layer + " " + r2 + "\n"), status.toString());
            }
            assertTrue(status.toString().matches("(?s).*\n  echo +ready +tier 2 +pid [1-9]\\d* .*"), status.toString());

            Cli rollback = cli(instance, "rollback", "--gate", "90s");
            assertEquals(0, rollback.status, rollback.out + atomic.transcript());
            assertRunsOnly(r1, r2);
            assertPointer(instance, r1, r2);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);
        }
    }

    @Test
    void aReleaseWhoseAppCannotStartFailsItsGateAndIsUndone() throws Exception {
        String instance = "test-upd-g-" + ProcessHandle.current().pid();
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            String r1 = firstBoot(atomic);
            String broken = publishWithoutDemoApp(r1, "broken");
            assertEquals(0, cli(instance, "stage", broken).status);

            // The rollback restarts demo-app cold under the same gate: 8 s was once too short, on a quiet host.
            Cli apply = cli(instance, "apply", "--gate", "20s");
            assertEquals(1, apply.status, apply.out);
            assertTrue(apply.out.contains("gate FAILED: dak (1 component(s)): the health gate was not passed within "
                    + "20000 ms (not ready: demo-app)"), apply.out);
            assertTrue(apply.out.contains("result: rolled back"), apply.out);
            assertRunsOnly(r1, broken);
            assertPointer(instance, r1, null);
            atomic.await("traffic demo-app → echo: [1-9]\\d* answered", BOOT);
        }
    }

    @Test
    void aPowerCutAtAnyStepLeavesOneWholeRelease() throws Exception {
        String instance = "test-upd-p-" + ProcessHandle.current().pid();
        String r1;
        try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
            r1 = firstBoot(atomic);
        }
        String r2 = publishWithNote(r1, "r2");
        String[] steps = {"update: engine: started standby", "update: services: restarting console, digest, echo",
                "update: dak: restarting demo-app", "update: update committed"};
        for (String step : steps) {
            boolean committed = step.contains("committed");
            String from = r1;
            String to = r2;
            try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
                atomic.await("vault .*release '" + from + "'", BOOT);
                atomic.await("^ready in \\d+ ms", BOOT);
                assertEquals(0, cli(instance, "stage", to).status);
                Thread.ofPlatform().daemon().start(() -> cli(instance, "apply", "--gate", "90s"));
                atomic.await(java.util.regex.Pattern.quote(step), BOOT);
                powerCut(atomic);
            }
            String expected = committed ? to : from;
            try (RunningAtomic atomic = new RunningAtomic(instance, home)) {
                atomic.await("vault .*release '" + expected + "'", BOOT);
                atomic.await("^ready in \\d+ ms", BOOT);
                assertRunsOnly(expected, committed ? from : to);
                String transcript = atomic.transcript();
                assertTrue(committed ? !transcript.contains("did not finish")
                        : transcript.contains("the update from '" + from + "' to '" + to + "' did not finish"),
                        "killed at '" + step + "':\n" + transcript);
            }
        }
    }

    /** The release the first boot made from the installation, once the system is ready. */
    private static String firstBoot(RunningAtomic atomic) throws InterruptedException {
        String release = atomic.await("made release '(\\S+)' from the installation", BOOT).group(1);
        atomic.await("^ready in \\d+ ms", BOOT);
        return release;
    }

    /**
     * Every Atomic process at once, as a power cut would: the Sovereign by SIGKILL takes its children with it. A
     * process the cgroup freezer holds (an idle on-demand service) dies of its SIGKILL only once thawed, which a real
     * power cut needs no one to do: the test thaws the instance's groups.
     */
    private static void powerCut(RunningAtomic atomic) throws Exception {
        List<ProcessHandle> all = new ArrayList<>(atomic.process.descendants().toList());
        atomic.process.toHandle().destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        Path freezer = Path.of("/sys/fs/cgroup/freezer", atomic.instance);
        if (Files.isDirectory(freezer)) {
            try (var groups = Files.walk(freezer)) {
                for (Path state : groups.filter(f -> f.getFileName().toString().equals("freezer.state")).toList()) {
                    Files.writeString(state, "THAWED");
                }
            }
        }
        assertTrue(atomic.process.waitFor(10, TimeUnit.SECONDS));
        for (ProcessHandle p : all) {
            p.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** Every Engine and component host runs from {@code release}'s deployed images, none from {@code other}'s. */
    private void assertRunsOnly(String release, String other) throws IOException {
        List<String> atomicProcesses = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline;
                try {
                    cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                if (cmdline.contains(home.resolve("deploy").toString())
                        && (cmdline.contains("EngineMain") || cmdline.contains("ComponentHost"))) {
                    atomicProcesses.add(cmdline);
                }
            }
        }
        assertTrue(atomicProcesses.size() >= 4, "expected two Engines and two components: " + atomicProcesses);
        for (String cmdline : atomicProcesses) {
            assertTrue(cmdline.contains("/deploy/" + release + "/"), "not from " + release + ": " + cmdline);
            if (other != null) {
                assertFalse(cmdline.contains("/deploy/" + other + "/"), "from " + other + ": " + cmdline);
            }
        }
    }

    private void assertPointer(String instance, String current, String previous) throws IOException {
        String pointer = Files.readString(home.resolve("deploy").resolve(instance + ".release"));
        assertTrue(pointer.contains("current=" + current + "\n"), pointer);
        if (previous != null) {
            assertTrue(pointer.contains("previous=" + previous + "\n"), pointer);
        }
    }

    /** {@code base} plus a small jar in the Engine's and both components' images: a release that changes all three. */
    private String publishWithNote(String base, String name) throws Exception {
        Vault vault = Vault.open(home.resolve("vault"));
        Path jar = home.resolve("release-note-" + name + ".jar");
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f)) {
            out.putNextEntry(new ZipEntry("atomic-release-note.txt"));
            out.write(("release " + name + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String hash = vault.add(jar);
        ReleaseManifest m = vault.verify(base).manifest();
        List<ReleaseManifest.Entry> entries = new ArrayList<>(m.entries());
        entries.add(new ReleaseManifest.Entry("engine/release-note.jar", hash, Files.size(jar), Layer.ENGINE, "engine", 0644));
        for (var c : dev.atomic.component.SystemSpec.builtIn("default").components()) { // every one: a whole release
            Layer layer = c.kernel() == dev.atomic.component.Kernel.SERVICES ? Layer.SERVICES : Layer.DAK;
            entries.add(new ReleaseManifest.Entry(layer.label() + "/" + c.id() + "/release-note.jar", hash,
                    Files.size(jar), layer, c.id(), 0644));
        }
        return publish(vault, base + "-" + name, entries);
    }

    /** {@code base} without the class-path entry that holds the demo app's main class: it cannot start. */
    private String publishWithoutDemoApp(String base, String name) throws Exception {
        Vault vault = Vault.open(home.resolve("vault"));
        ReleaseManifest m = vault.verify(base).manifest();
        Path root = home.resolve("deploy").resolve(base);
        String holder = null;
        for (ReleaseManifest.Entry e : m.entries()) {
            if (!e.path().startsWith("dak/demo-app/")) {
                continue;
            }
            boolean holds = e.path().endsWith("/dev/atomic/demo/DemoApp.class");
            if (!holds && e.path().endsWith(".jar")) {
                try (ZipFile zip = new ZipFile(root.resolve(e.path()).toFile())) {
                    holds = zip.getEntry("dev/atomic/demo/DemoApp.class") != null;
                }
            }
            if (holds) {
                holder = "dak/demo-app/" + e.path().split("/")[2];
            }
        }
        String gone = holder;
        assertTrue(gone != null, "no entry of dak/demo-app holds DemoApp");
        return publish(vault, base + "-" + name, m.entries().stream()
                .filter(e -> !e.path().equals(gone) && !e.path().startsWith(gone + "/")).toList());
    }

    private String publish(Vault vault, String release, List<ReleaseManifest.Entry> entries) throws Exception {
        Path keys = home.resolve("keys");
        vault.releases().publish(ReleaseManifest.of(release, Instant.now(), entries),
                Keys.readPrivate(keys.resolve("local.key")), Keys.readPublic(keys.resolve("local.pub")));
        return release;
    }

    private record Cli(int status, String out) {
    }

    private Cli cli(String instance, String... args) {
        StringWriter out = new StringWriter();
        var cli = new picocli.CommandLine(new AtomicCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        List<String> all = new ArrayList<>(List.of("update", "--instance", instance, "--home", home.toString()));
        all.addAll(List.of(args));
        int status = cli.execute(all.toArray(String[]::new));
        return new Cli(status, out.toString());
    }
}
