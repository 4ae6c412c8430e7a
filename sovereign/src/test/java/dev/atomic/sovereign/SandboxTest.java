package dev.atomic.sovereign;

import dev.atomic.auditor.HostView;
import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.SandboxGrants;
import dev.atomic.system.SharedMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.atomic.component.SystemSpec.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SandboxTest {
    private static final ComponentSpec PROBE = new ComponentSpec("probe", Kernel.DAK, "app",
            SandboxedProbe.class.getName(), refs(), refs(), 64L << 20, 64, 1000);

    @TempDir
    Path dir;

    /** JUnit makes it 0700; a home Atomic makes (0755) lets components, as nobody, reach their images. */
    @BeforeEach
    void searchable() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    @Test
    void withoutBubblewrapComponentsRunAsTheyAreAndTheReportSaysHowToInstallIt() throws Exception {
        Sandbox none = Sandbox.probe(true, false, dir, Optional.empty(), Optional.empty()).result();
        assertFalse(none.enabled());
        assertTrue(none.describe().startsWith("not sandboxed: bubblewrap is not installed (install it with: apt-get "
                + "install bubblewrap)"), none.describe());
        // Unsandboxed, a component still gets its shared memory as descriptors, and its state directory.
        Launcher.Confinement c = none.confine(PROBE, dir.resolve("image"), dir.resolve("state"),
                List.of(Path.of("/proc/1/fd/7")));
        assertEquals(List.of(), c.wrapper());
        assertEquals(List.of(Path.of("/proc/1/fd/7")), c.inherited());
        assertEquals(Map.of("ATOMIC_STATE_DIR", dir.resolve("state").toString()), c.env());
        assertTrue(Files.isDirectory(dir.resolve("state")));
    }

    @Test
    void asRootWithoutSetprivNoSandboxIsMade() {
        Sandbox none = Sandbox.probe(true, true, dir, Optional.of(Path.of("/usr/bin/bwrap")), Optional.empty()).result();
        assertTrue(none.describe().startsWith("not sandboxed: setpriv (util-linux) is missing"), none.describe());
        assertTrue(Sandbox.probe(false, true, dir, Optional.empty(), Optional.empty()).result().describe()
                .startsWith("not sandboxed: asked not to (--no-sandbox)"));
    }

    /** Where the host refuses user namespaces, bubblewrap says so: the boot report repeats it. */
    @Test
    void aBubblewrapThatCannotMakeTheSandboxIsReportedInItsOwnWords() throws Exception {
        Path fake = dir.resolve("bwrap");
        Files.writeString(fake, """
                #!/bin/sh
                [ "$1" = --version ] && { echo "bubblewrap 0.8.0"; exit 0; }
                echo "bwrap: No permissions to creating new namespace, likely because the kernel does not allow \
                non-privileged user namespaces." >&2
                exit 1
                """);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Sandbox none = Sandbox.probe(true, false, dir, Optional.of(fake), Optional.empty()).result();
        assertFalse(none.enabled());
        assertTrue(none.describe().startsWith("not sandboxed: a JVM could not start in the bubblewrap sandbox (status "
                + "1: bwrap: No permissions to creating new namespace"), none.describe());
    }

    @Test
    void aHomeNobodyCannotReachIsReported() throws Exception {
        Path home = Files.createDirectories(dir.resolve("closed/home"));
        assertEquals(Optional.empty(), Sandbox.closedTo(home));
        Files.setPosixFilePermissions(dir.resolve("closed"), PosixFilePermissions.fromString("rwx------"));
        assertEquals(Optional.of("uid 65534, which components run as, cannot reach " + home + ": " + dir.resolve("closed")
                + " is mode 700 (make it searchable: chmod o+x " + dir.resolve("closed") + ")"), Sandbox.closedTo(home));
        assertTrue(Sandbox.probe(true, true, home, Optional.of(Path.of("/usr/bin/bwrap")), Optional.of(Path.of("/x")))
                .result().describe().startsWith("not sandboxed: uid 65534, which components run as, cannot reach "));
    }

    @Test
    void symbolicLinksOnTheWayToAPathAreMadeAgainInside() throws Exception {
        Path real = Files.createDirectories(dir.resolve("usr/lib/x"));
        Files.writeString(real.resolve("libc.so.6"), "");
        Files.createSymbolicLink(dir.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(dir.resolve("ld.so"), dir.resolve("lib/x/libc.so.6"));
        SandboxView jvm = SandboxView.jvm(Path.of(System.getProperty("java.home")), Path.of(Launcher.java()));
        List<String> all = jvm.copy().readOnly(dir.resolve("ld.so")).args();
        List<String> added = all.subList(jvm.args().size(), all.size());
        assertEquals(List.of("--symlink", dir.resolve("lib/x/libc.so.6").toString(), dir.resolve("ld.so").toString(),
                "--symlink", "usr/lib", dir.resolve("lib").toString(),
                "--ro-bind", real.resolve("libc.so.6").toString(), real.resolve("libc.so.6").toString()), added);
    }

    @Test
    void theJvmIsShownItsDynamicLoaderAndCLibrary() throws Exception {
        Path loader = SandboxView.interpreter(Path.of(Launcher.java()));
        assertTrue(loader.getFileName().toString().startsWith("ld-") && Files.exists(loader), loader.toString());
        List<String> args = SandboxView.jvm(Path.of(System.getProperty("java.home")), Path.of(Launcher.java())).args();
        assertTrue(args.stream().anyMatch(a -> a.endsWith("/libc.so.6")), args.toString());
        assertTrue(args.contains(loader.toRealPath().toString()), args.toString());
    }

    /**
     * A JVM started as a component is: pid 1 of its own namespace, the reported pid being its host pid; nobody, with
     * no capability; its inherited shared memory mapped; its state directory and /tmp writable and nothing else; no
     * other process, no host file, no host network in sight.
     */
    @Test
    void aComponentJvmInTheSandboxSeesOnlyItsView() throws Exception {
        assumeTrue(HostView.findOnPath(HostView.BUBBLEWRAP).isPresent(), "bubblewrap is not installed");
        boolean root = "root".equals(System.getProperty("user.name"));
        Sandbox sandbox = Sandbox.probe(true, root, dir).result();
        assertTrue(sandbox.enabled(), sandbox.describe());
        Path classes = Path.of(SandboxedProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path secret = Files.writeString(dir.resolve("secret"), "not for components");
        Path state = dir.resolve("state");
        try (SharedMemory shared = SharedMemory.create("sandbox-test", 4096);
             ServerSocket hostLoopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            shared.segment().setString(0, "hello", StandardCharsets.US_ASCII);
            Launcher.Confinement confinement = sandbox.confine(PROBE, classes, state, List.of(shared.procPath()));
            Process p = new Launcher(dir.resolve("logs")).start(List.of(classes), SandboxedProbe.class.getName(),
                    List.of(secret.toString(), Integer.toString(hostLoopback.getLocalPort())), List.of(),
                    Optional.empty(), "probe.log", confinement);
            long pid = sandbox.componentPid(PROBE, p);
            Map<String, String> host = status(pid);
            assertEquals(pid + "\t1", host.get("NSpid"), "the reported pid is not the sandboxed JVM");
            // bubblewrap reports the pid as soon as it exists, before the process sets up its view and execs java.
            Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
            for (long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                 !Files.readString(cmdline).contains(SandboxedProbe.class.getName()); ) {
                assertTrue(System.nanoTime() < giveUp, "pid " + pid + " never became the JVM");
                Thread.sleep(5);
            }
            if (root) {
                assertTrue(host.get("Uid").startsWith(Sandbox.UID + "\t"), "as root, components are nobody on the host"
                        + " too: " + host.get("Uid"));
            }
            Files.writeString(state.resolve("done"), "");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String log = Files.readString(dir.resolve("logs/probe.log"));
            assertEquals(0, p.exitValue(), log);
            Map<String, String> seen = log.lines().filter(l -> l.contains("=")).collect(Collectors.toMap(
                    l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
            assertEquals(Map.ofEntries(Map.entry("pid", "1"), Map.entry("Uid", Integer.toString(Sandbox.UID)),
                    Map.entry("CapEff", "0000000000000000"), Map.entry("NoNewPrivs", "1"),
                    Map.entry("processes", "1"), Map.entry("hidden", "no"), Map.entry("root-writable", "no"),
                    Map.entry("state-writable", "yes"), Map.entry("tmp-writable", "yes"),
                    Map.entry("inherited", "hello"), Map.entry("network", "no"),
                    Map.entry("env", "[ATOMIC_SECCOMP, ATOMIC_SECCOMP_PROGRAM, ATOMIC_SECCOMP_PROGRAM_PID, "
                            + "ATOMIC_STATE_DIR, HOME, LANG, PWD]"), Map.entry("host-program", "yes")), seen, log);
            assertEquals("reply", new String(shared.segment().asSlice(8, 5).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.US_ASCII), "the sandboxed JVM did not write the shared memory");
            assertEquals("written", Files.readString(state.resolve("probe")));
            hostLoopback.setSoTimeout(1);
            assertFalse(accepted(hostLoopback));
        }
    }

    @Test
    void grantsWidenTheView() throws Exception {
        assumeTrue(HostView.findOnPath(HostView.BUBBLEWRAP).isPresent(), "bubblewrap is not installed");
        Sandbox sandbox = Sandbox.probe(true, "root".equals(System.getProperty("user.name")), dir).result();
        assumeTrue(sandbox.enabled(), sandbox.describe());
        Path data = Files.createDirectories(dir.resolve("data"));
        Path out = Files.createDirectories(dir.resolve("out"));
        ComponentSpec granted = new ComponentSpec(PROBE.id(), PROBE.kernel(), PROBE.kind(), PROBE.image(),
                PROBE.provides(), PROBE.calls(), PROBE.memoryMaxBytes(), PROBE.pidsMax(), PROBE.rateBudget(),
                PROBE.cpuLimit(), PROBE.cpuWeight(), PROBE.version(), PROBE.restart(), PROBE.state(),
                new SandboxGrants(List.of(data.toString()), List.of(out.toString()), true), PROBE.tier());
        List<String> closed = sandbox.confine(PROBE, dir, dir.resolve("s"), List.of()).wrapper();
        List<String> open = sandbox.confine(granted, dir, dir.resolve("s"), List.of()).wrapper();
        assertTrue(closed.contains("--unshare-net"));
        assertFalse(open.contains("--unshare-net"));
        assertTrue(Collections.indexOfSubList(open, List.of("--ro-bind", data.toString(), data.toString())) > 0);
        assertTrue(Collections.indexOfSubList(open, List.of("--bind", out.toString(), out.toString())) > 0);
        assertFalse(Collections.indexOfSubList(closed, List.of("--ro-bind", data.toString(), data.toString())) > 0);
    }

    private static Map<String, String> status(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.indexOf(':') > 0).collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')),
                        l -> l.substring(l.indexOf(':') + 1).strip()));
    }

    private static boolean accepted(ServerSocket server) {
        try (var ignored = server.accept()) {
            return true;
        } catch (java.io.IOException timedOut) {
            return false;
        }
    }
}
