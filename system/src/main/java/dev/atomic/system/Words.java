package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Native functions, linked with one shape of call: six 64-bit words in, one out, variadic after the first (open,
 * fcntl, prctl and syscall are variadic; for the others the call is the same), errno captured. Each new shape of
 * downcall costs a JVM 15-25 ms of CPU the first time it is linked (a class spun for it and its lambda forms, which
 * no AOT cache keeps), and a component host's start used a dozen, the Engine's and the Sovereign's more; the linker
 * reuses a shape it has linked, so one shape is linked once. On the LP64 ABIs Linux runs on (x86-64 SysV, AArch64)
 * an int or a pointer travels in a 64-bit register as a long does, the six words all travel in registers, and a
 * callee reads only the arguments it declares (the others are zeros); an int result is the low half of the word,
 * so callers cast it to int first, which also makes a -1 a -1.
 */
public final class Words {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor SHAPE = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final Linker.Option[] OPTIONS = {Linker.Option.firstVariadicArg(1),
            Linker.Option.captureCallState("errno")};
    /** Per thread, so hot calls (futex, eventfd) allocate nothing; ofAuto frees it with the thread. */
    private static final ThreadLocal<MemorySegment> CAPTURE_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Linker.Option.captureStateLayout()));

    private Words() {
    }

    /** A function of up to six integer or pointer arguments, called through {@link #call}. */
    @SuppressWarnings("restricted") // every Atomic JVM runs with --enable-native-access
    public static MethodHandle link(MemorySegment symbol) {
        return LINKER.downcallHandle(symbol, SHAPE, OPTIONS);
    }

    /** This thread's errno capture state ({@link Linker.Option#captureStateLayout()}). */
    public static MemorySegment state() {
        return CAPTURE_STATE.get();
    }

    /** A call through a handle of {@link #link}, given the capture state to fill. */
    @FunctionalInterface
    public interface Call {
        long invoke(MemorySegment captureState) throws Throwable;
    }

    /**
     * Runs a call with this thread's capture state, its checked exceptions unchecked: for a function that cannot
     * fail or says why in its result, or a caller that reads errno from {@link #state()} itself.
     */
    public static long plain(Call call) {
        try {
            return call.invoke(state());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // Calls through a handle of link(), with the arguments the function declares.

    public static long call(MethodHandle f, MemorySegment st) throws Throwable {
        return (long) f.invokeExact(st, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    public static long call(MethodHandle f, MemorySegment st, long a) throws Throwable {
        return (long) f.invokeExact(st, a, 0L, 0L, 0L, 0L, 0L);
    }

    public static long call(MethodHandle f, MemorySegment st, long a, long b) throws Throwable {
        return (long) f.invokeExact(st, a, b, 0L, 0L, 0L, 0L);
    }

    public static long call(MethodHandle f, MemorySegment st, long a, long b, long c) throws Throwable {
        return (long) f.invokeExact(st, a, b, c, 0L, 0L, 0L);
    }

    public static long call(MethodHandle f, MemorySegment st, long a, long b, long c, long d) throws Throwable {
        return (long) f.invokeExact(st, a, b, c, d, 0L, 0L);
    }

    public static long call(MethodHandle f, MemorySegment st, long a, long b, long c, long d, long e)
            throws Throwable {
        return (long) f.invokeExact(st, a, b, c, d, e, 0L);
    }

    public static long call(MethodHandle f, MemorySegment st, long a, long b, long c, long d, long e, long g)
            throws Throwable {
        return (long) f.invokeExact(st, a, b, c, d, e, g);
    }
}
