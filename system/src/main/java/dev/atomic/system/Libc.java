package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place that talks to glibc: the linker, the symbol lookup, errno capture and the handles that several
 * classes share. Every call that can fail goes through {@link #check} or {@link #raw}, so errno is read from the
 * state the linker captured right after the call, before the JVM can run anything that clobbers it.
 */
final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(PathElement.groupElement("errno"));

    /** Room for the largest out-parameter we pass: a siginfo_t. */
    private static final long SCRATCH_BYTES = 128;

    /** Per thread, so hot calls allocate nothing; ofAuto frees it with the thread. */
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SCRATCH_BYTES, 8));

    /** Made on first use: a component host's start reads and writes no descriptor of its own. */
    static final class Io {
        static final MethodHandle READ = function("read");
        static final MethodHandle WRITE = function("write");
    }
    /** {@code long syscall(long number, ...)}: for calls glibc does not wrap (up to five arguments). */
    static final MethodHandle SYSCALL = function("syscall");
    static final MethodHandle CLOSE = function("close");

    /*
     * Raw syscall numbers, only for calls glibc (before 2.36) does not wrap. Numbers from 403 up are the same on
     * every architecture; futex is not, and an unknown architecture gets -1, which the kernel answers with ENOSYS.
     */
    static final long SYS_PIDFD_SEND_SIGNAL = 424;
    static final long SYS_PIDFD_OPEN = 434;
    static final long SYS_PIDFD_GETFD = 438;
    static final long SYS_LANDLOCK_CREATE_RULESET = 444;
    static final long SYS_FUTEX_WAITV = 449;
    static final long SYS_FUTEX = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };

    private Libc() {
    }

    /** A glibc function of up to six integer or pointer arguments, called through {@link Words#call}. */
    static MethodHandle function(String name) {
        return Words.link(symbol(name));
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("glibc has no " + name));
    }

    /**
     * Runs a call that returns -1 (or MAP_FAILED) and sets errno on failure: its result, or minus errno when it
     * returned -1. For callers that handle some errnos.
     */
    static long raw(Words.Call call) {
        MemorySegment state = Words.state();
        long result;
        try {
            result = call.invoke(state);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return result == -1 ? -(int) ERRNO.get(state, 0L) : result;
    }

    /**
     * Runs the call; its result, or a {@link SyscallException} naming the call and its key argument. The argument
     * is only turned into text on failure, so hot calls can pass a number without paying for a string.
     */
    static long check(String name, Object argument, Words.Call call) {
        long result = raw(call);
        if (result < 0) {
            throw new SyscallException(name, String.valueOf(argument), (int) -result);
        }
        return result;
    }

    /** How a string argument reads in an error message. */
    static String quoted(String s) {
        return '"' + s + '"';
    }

    /** A small per-thread buffer for out-parameters; valid until this thread's next use. */
    static MemorySegment scratch() {
        return SCRATCH.get().fill((byte) 0);
    }

    static void close(int fd) {
        check("close", fd, st -> (int) Words.call(CLOSE, st, fd));
    }
}
