package dev.atomic.engine;

import dev.atomic.bridge.Frame;
import dev.atomic.component.Kernel;

import java.util.concurrent.TimeUnit;

/**
 * Strict layering (seed 000): the kernels stand Sovereign → Engine → Services → Drivers &amp; Apps, top to bottom, and
 * orders flow downward. A call from a higher kernel to a lower one (Services → Drivers &amp; Apps) is an order: it must
 * be asynchronous ({@link Frame#FLAG_ASYNC}), so no component of a lower kernel ever holds a thread of a higher one.
 * A call from a lower kernel to a higher one is upward: the higher provider gets it as a message and answers when it
 * will. Either way a call between kernels is bounded: the Engine gives it a deadline at most
 * {@link #CROSS_KERNEL_WAIT_NANOS} away, and fails it then.
 */
final class Layering {
    /** How long a call between kernels may be under way at most; the Engine fails it after that. */
    static final long CROSS_KERNEL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    enum Direction { LEVEL, DOWNWARD, UPWARD }

    private Layering() {
    }

    /** Kernel constants are declared top to bottom: a higher ordinal is a lower kernel. */
    static Direction of(Kernel caller, Kernel provider) {
        int c = caller.ordinal();
        int p = provider.ordinal();
        return c == p ? Direction.LEVEL : c < p ? Direction.DOWNWARD : Direction.UPWARD;
    }

    /** Why the call is refused, or null: only a synchronous call down into a lower kernel is. */
    static String refusal(Member caller, Member provider, int flags) {
        if (of(caller.spec.kernel(), provider.spec.kernel()) != Direction.DOWNWARD || (flags & Frame.FLAG_ASYNC) != 0) {
            return null;
        }
        return "strict layering: " + caller.label() + " may not wait synchronously on " + provider.label()
                + ", a lower kernel; orders flow downward asynchronously (ServiceClient.callAsync), with a deadline";
    }

    /** The deadline the Engine enforces: the caller's own, or sooner for a call between kernels. */
    static long deadline(Member caller, Member provider, long deadline, long now) {
        if (caller.spec.kernel() == provider.spec.kernel()) {
            return deadline;
        }
        long bound = now + CROSS_KERNEL_WAIT_NANOS;
        return deadline == 0 || deadline - bound > 0 ? bound : deadline;
    }
}
