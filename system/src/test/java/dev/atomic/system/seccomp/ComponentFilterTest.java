package dev.atomic.system.seccomp;

import dev.atomic.system.ChildJvm;
import dev.atomic.system.Errno;
import dev.atomic.system.PidFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The component policy on real processes: each denied call fails with its documented errno and the JVM runs on. The
 * attacks among them are answered by whoever holds the listener (here the test, in Atomic the Engine), which sees
 * each one; under the first layer alone (no listener yet) they fail with ENOSYS.
 */
class ComponentFilterTest {
    /** The calls {@link SeccompChild} makes; ptrace only under a filter, since without one it would succeed. */
    private static final List<String> DENIED_CALLS = List.of("mount", "ptrace", "process_vm_readv", "init_module",
            "kexec_load", "perf_event_open", "bpf", "unshare", "clone", "clone3", "setns", "io_uring_setup",
            "open_by_handle_at", "iopl");

    @Test
    void theKernelAloneWouldAnswerEachOfTheseCallsOtherwise() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "without root the kernel itself answers EPERM to most of these, so the filter's answer would not show");
        Map<String, Integer> errnos = errnos(ChildJvm.run(SeccompChild.class, "unfiltered"));
        for (String call : DENIED_CALLS) {
            if (!call.equals("ptrace")) {
                assertNotEquals(expectedErrno(call), errnos.get(call), call + " without a filter: " + errnos);
            }
        }
    }

    @Test
    void aHostThatLoadsThePolicyIsDeniedAndItsTrappedCallsAreDecidedByAnotherProcess() throws Exception {
        Process child = new ProcessBuilder(ChildJvm.command(SeccompChild.class, "load")).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertDecidedByAnother(child, out, out.readLine());
        } finally {
            child.toHandle().destroyForcibly();
        }
    }

    /** What the Sovereign does for sandboxed hosts: the filter compiled outside for the host's pid, loaded raw. */
    @Test
    void aHostThatLoadsTheProgramCompiledForItsPidWithoutLibseccompIsDeniedAndTrappedTheSame(@TempDir Path dir)
            throws Exception {
        Process child = new ProcessBuilder(ChildJvm.command(SeccompChild.class, "program")).redirectErrorStream(true)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("pid "), "child said: " + first);
            Path program = dir.resolve("host.bpf");
            try (Filter filter = ComponentPolicy.filter(Long.parseLong(first.substring("pid ".length())), false)) {
                filter.writeBpf(program);
            }
            child.getOutputStream().write((program + "\n").getBytes(StandardCharsets.UTF_8));
            child.getOutputStream().flush();
            assertDecidedByAnother(child, out, out.readLine());
        } finally {
            child.toHandle().destroyForcibly();
        }
    }

    /** The child, having said {@code first} ("listener N"), lets the test take its listener and decide its calls. */
    private static void assertDecidedByAnother(Process child, BufferedReader out, String first) throws Exception {
        assertTrue(first != null && first.startsWith("listener "), "child said: " + first);
        int childFd = Integer.parseInt(first.substring("listener ".length()));
        List<Notifications.Outcome> outcomes = new CopyOnWriteArrayList<>();
        CompletableFuture<Long> served;
        try (PidFd pidFd = PidFd.open(child.pid())) {
            Notifications listener = Notifications.of(pidFd.takeFd(childFd));
            served = CompletableFuture.supplyAsync(() -> {
                try (listener) {
                    SandboxPids sandbox = new SandboxPids(child.pid(), listener);
                    return listener.serve(n -> ComponentPolicy.decide(n, sandbox), outcomes::add);
                }
            });
        }
        OutputStream in = child.getOutputStream();
        in.write("taken\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        String output = rest(out);
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), output);
        assertEquals(0, child.exitValue(), output);
        // The child is gone, so the listener hangs up and the loop returns on its own.
        served.get(10, TimeUnit.SECONDS);

        Map<String, Integer> errnos = errnos(output);
        assertDenied(errnos, output, false);
        assertEquals(0, errnos.get("kill-self"), "a signal to itself is not trapped: " + output);
        assertEquals(Errno.EPERM, errnos.get("kill-parent"), output);
        assertEquals(0, errnos.get("kill-own-child"), "a process it started is in its sandbox: " + output);
        assertTrue(output.contains("own-child ended"), "Process.destroy() of its own child: " + output);
        assertEquals(0, errnos.get("personality-query"), output);
        assertEquals(Errno.EPERM, errnos.get("personality-change"), output);
        assertEquals(0, errnos.get("socket-unix"), output);
        assertEquals(Errno.EACCES, errnos.get("socket-inet"), output);
        assertTrue(output.contains("java-socket Permission denied"), output);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("alive ")), output);

        List<String> decided = outcomes.stream().map(o -> o.notification().syscall() + " " + o.decision()).toList();
        long parent = ProcessHandle.current().pid();
        assertTrue(outcomes.stream().anyMatch(o -> o.notification().syscall().equals("kill")
                && o.notification().arg(0) == parent && o.decision().equals(Decision.deny(Errno.EPERM))), decided::toString);
        assertTrue(outcomes.stream().anyMatch(o -> o.notification().syscall().equals("personality")
                && o.decision().allowed()), decided::toString);
        assertTrue(outcomes.stream().anyMatch(o -> o.notification().syscall().equals("personality")
                && !o.decision().allowed()), decided::toString);
        assertTrue(outcomes.stream().filter(o -> o.notification().syscall().equals("socket"))
                .allMatch(o -> o.notification().arg(0) != 1 && o.decision().equals(Decision.deny(Errno.EACCES))),
                decided::toString);
        assertTrue(outcomes.stream().anyMatch(o -> o.notification().syscall().equals("kill")
                && o.notification().arg(1) == 15 && o.decision().allowed()), "SIGTERM to its child: " + decided);
        assertTrue(outcomes.stream().noneMatch(o -> o.notification().syscall().equals("kill")
                && o.notification().arg(0) == child.pid()), "kill of itself was trapped: " + decided);
        assertTrue(outcomes.stream().allMatch(o -> o.notification().pid() > 0 && o.delivered()), decided::toString);
        for (String call : DENIED_CALLS) {
            boolean reported = ComponentPolicy.denied().stream().filter(r -> r.syscall().equals(call))
                    .anyMatch(ComponentPolicy::reported);
            assertEquals(reported, outcomes.stream().anyMatch(o -> o.notification().syscall().equals(call)
                    && o.decision().equals(Decision.deny(expectedErrno(call)))), call + ": " + decided);
        }
    }

    @Test
    void theExportedProgramLoadedWithoutLibseccompBehavesTheSame(@TempDir Path dir) throws Exception {
        Path program = dir.resolve("component.bpf");
        try (Filter filter = ComponentPolicy.startupFilter()) {
            filter.writeBpf(program);
        }
        String output = ChildJvm.run(SeccompChild.class, "bpf", program.toString());
        assertDenied(errnos(output), output, true);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("alive ")), output);
    }

    @Test
    void bubblewrapInstallsTheExportedProgramBeforeTheJvmStarts(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap is not installed");
        Path program = dir.resolve("component.bpf");
        try (Filter filter = ComponentPolicy.startupFilter()) {
            filter.writeBpf(program);
        }
        // bwrap reads the program from a descriptor; a shell opens the file as descriptor 3 for it.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" 3<\"$0\"", program.toString(),
                "/usr/bin/bwrap", "--dev-bind", "/", "/", "--seccomp", "3", "--"));
        command.addAll(ChildJvm.command(SeccompChild.class, "inherited"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), output);
        } finally {
            child.toHandle().destroyForcibly();
        }
        assertEquals(0, child.exitValue(), output);
        assertDenied(errnos(output), output, true);
        assertTrue(output.lines().anyMatch(l -> l.startsWith("alive ")), output);
    }

    /** @param firstLayerOnly no listener: the attacks it traps fail with ENOSYS */
    private static void assertDenied(Map<String, Integer> errnos, String output, boolean firstLayerOnly) {
        for (String call : DENIED_CALLS) {
            int expected = firstLayerOnly && ComponentPolicy.denied().stream().filter(r -> r.syscall().equals(call))
                    .anyMatch(ComponentPolicy::reported) ? Errno.ENOSYS : expectedErrno(call);
            assertEquals(expected, errnos.get(call), call + ": " + output);
        }
    }

    /** The errno the written-down policy gives {@code call}; every rule for one call gives the same. */
    static int expectedErrno(String call) {
        List<Integer> errnos = ComponentPolicy.denied().stream().filter(r -> r.syscall().equals(call))
                .map(r -> r.action().errno()).distinct().toList();
        assertEquals(1, errnos.size(), call + " has rules with errnos " + errnos);
        return errnos.getFirst();
    }

    private static Map<String, Integer> errnos(String output) {
        Map<String, Integer> errnos = new LinkedHashMap<>();
        output.lines().map(l -> l.split(" ")).filter(p -> p.length == 2 && p[1].matches("\\d+"))
                .forEach(p -> errnos.put(p[0], Integer.parseInt(p[1])));
        return errnos;
    }

    private static String rest(BufferedReader reader) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String line; (line = reader.readLine()) != null; ) {
            s.append(line).append('\n');
        }
        return s.toString();
    }
}
