package dev.atomic.system.seccomp;

import dev.atomic.system.ChildJvm;
import dev.atomic.system.Errno;
import dev.atomic.system.SyscallException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterTest {
    private static final int SIGSYS = 31;
    /** BPF_RET | BPF_K: the opcode of an instruction that returns a constant action. */
    private static final int BPF_RET_K = 0x06;

    @Test
    void thisHostCanBuildAndLoadFiltersWithNotification() {
        assertEquals(java.util.Optional.empty(), Seccomp.unavailable());
        assertTrue(Seccomp.apiLevel() >= 6, "API level " + Seccomp.apiLevel());
    }

    @Test
    void callsAreNamedAsLibseccompKnowsThemForThisArchitecture() {
        int mount = Seccomp.syscallNumber("mount").orElseThrow();
        assertEquals("mount", Seccomp.syscallName(Seccomp.nativeArch(), mount));
        // socketcall is i386's multiplexer: libseccomp knows the name, this architecture has no such call.
        assertTrue(Seccomp.syscallNumber("socketcall").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Seccomp.syscallNumber("mount2"));
        assertEquals("libseccomp knows no system call named 'mount2'", e.getMessage());
        assertEquals("syscall 99999", Seccomp.syscallName(Seccomp.nativeArch(), 99999));
    }

    @Test
    void aCallThisArchitectureLacksIsSkippedAndListed() {
        try (Filter filter = Filter.create(Action.ALLOW)) {
            filter.add("socketcall", Action.errno(Errno.EPERM)).add("mount", Action.errno(Errno.EPERM));
            assertEquals(List.of("socketcall"), filter.absent());
            assertEquals(List.of("mount"), filter.rules().stream().map(Rule::syscall).toList());
        }
    }

    @Test
    void libseccompRefusalsNameTheRule() {
        try (Filter filter = Filter.create(Action.ALLOW)) {
            SyscallException same = assertThrows(SyscallException.class, () -> filter.add("mount", Action.ALLOW));
            assertEquals("seccomp_rule_add(mount() -> ALLOW) failed: EACCES (Permission denied)", same.getMessage());
            // One comparison per argument in a rule: libseccomp cannot AND two on arg0.
            SyscallException twice = assertThrows(SyscallException.class, () -> filter.add("personality",
                    Action.errno(Errno.EPERM), Arg.ne(0, 0), Arg.ne(0, 8)));
            assertEquals("EINVAL", twice.errnoName());
        }
        assertThrows(IllegalArgumentException.class, () -> Action.errno(0));
        assertThrows(IllegalArgumentException.class, () -> Action.errno(4096));
        assertThrows(IllegalArgumentException.class, () -> Arg.eq(6, 0));
        assertThrows(IllegalArgumentException.class, () -> Arg.hasFlag(0, 3));
    }

    @Test
    void theExportedProgramIsClassicBpfEndingInItsActions() {
        try (Filter filter = Filter.of(Action.ALLOW, List.of(new Rule("mount", Action.errno(Errno.EPERM), "test")))) {
            byte[] program = filter.bpf();
            assertEquals(0, program.length % 8, "whole struct sock_filter entries");
            ByteBuffer bpf = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
            List<Integer> returned = new ArrayList<>();
            for (int at = 0; at < program.length; at += 8) {
                if ((bpf.getShort(at) & 0xffff) == BPF_RET_K) {
                    returned.add(bpf.getInt(at + 4));
                }
            }
            assertTrue(returned.contains(Action.ALLOW.value()), returned::toString);
            assertTrue(returned.contains(Action.errno(Errno.EPERM).value()), returned::toString);
            assertTrue(returned.contains(Action.KILL_PROCESS.value()), "a foreign architecture is killed: " + returned);
            String pfc = filter.pfc();
            assertTrue(pfc.contains("filter for syscall \"mount\""), pfc);
            assertTrue(pfc.contains("action KILL_PROCESS"), pfc);
        }
    }

    @Test
    void rulesAndActionsReadAsThePolicyWritesThem() {
        assertEquals("socket(arg0 != 1) -> NOTIFY", new Rule("socket", Action.NOTIFY, "", Arg.ne(0, 1)).toString());
        assertEquals("ioctl((int) arg1 == 21522) -> ERRNO(EPERM)",
                new Rule("ioctl", Action.errno(Errno.EPERM), "", Arg.int32Eq(1, 0x5412)).toString());
        assertEquals("clone(arg0 has 0x10000000) -> ERRNO(EPERM)",
                new Rule("clone", Action.errno(Errno.EPERM), "", Arg.hasFlag(0, 0x1000_0000L)).toString());
        assertEquals(Errno.EPERM, Action.errno(Errno.EPERM).errno());
        assertEquals(0, Action.NOTIFY.errno());
    }

    @Test
    void anIntArgumentIsComparedWithoutItsUpperHalfOnlyWhenMasked() throws Exception {
        String output = ChildJvm.run(FilterChild.class, "args");
        // socket(2 | 1 << 32) is socket(AF_INET) to the kernel: only the masked rule catches it.
        assertTrue(output.contains("inet 97\n"), output);
        assertTrue(output.contains("inet-high 97\n"), output);
        assertTrue(output.contains("inet6 97\n"), output);
        assertFalse(output.contains("inet6-high 97"), "a plain EQ misses the upper half: " + output);
        assertTrue(output.endsWith("uname 0"), "LOG lets the call run: " + output);
    }

    @Test
    void aSecondNotifyingFilterIsRefusedRatherThanLoadedWithoutAListener() throws Exception {
        String output = ChildJvm.run(FilterChild.class, "twice");
        assertTrue(output.startsWith("this process already has a seccomp listener (fd "), output);
        assertTrue(output.endsWith("filter(default ALLOW, 1 rules) would trap calls nobody can answer"), output);
    }

    @Test
    void killProcessEndsTheWholeJvmWithSigsys() throws Exception {
        // SIGSYS dumps core; no core file is wanted from a death the test asked for.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -c 0; exec \"$@\"", "sh"));
        command.addAll(ChildJvm.command(FilterChild.class, "kill"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), output);
            assertEquals(128 + SIGSYS, child.exitValue(), output);
            assertTrue(output.startsWith("loaded"), output);
            assertFalse(output.contains("survived"), output);
        } finally {
            child.toHandle().destroyForcibly();
        }
    }
}
