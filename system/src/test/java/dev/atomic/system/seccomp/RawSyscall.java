package dev.atomic.system.seccomp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** syscall(2) with six arguments, for tests that must make calls no wrapper makes (or makes safely). */
final class RawSyscall {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    @SuppressWarnings("restricted")
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private RawSyscall() {
    }

    /** The call's result, or minus its errno. */
    static long call(String name, long... args) {
        long[] a = java.util.Arrays.copyOf(args, 6);
        long nr = Seccomp.syscallNumber(name).orElseThrow();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            long r = (long) SYSCALL.invokeExact(state, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
            return r == -1 ? -(int) ERRNO.get(state, 0L) : r;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Loads a classic BPF program (as {@link Filter#bpf()} exports it) with seccomp(2), for every thread. */
    static long loadBpf(byte[] program) {
        final long setModeFilter = 1;
        final long flagTsync = 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment instructions = arena.allocate(program.length, 8);
            instructions.copyFrom(MemorySegment.ofArray(program));
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
            MemorySegment fprog = arena.allocate(16, 8);
            fprog.set(JAVA_SHORT, 0, (short) (program.length / 8));
            fprog.set(JAVA_LONG, 8, instructions.address());
            return call("seccomp", setModeFilter, flagTsync, fprog.address());
        }
    }

}
