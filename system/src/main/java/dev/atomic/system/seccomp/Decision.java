package dev.atomic.system.seccomp;

import dev.atomic.system.Errno;

/** The answer to a {@link Notification}: let the call run as made, or fail it with an errno. */
public record Decision(boolean allowed, int errno) {
    private static final Decision ALLOW = new Decision(true, 0);

    public Decision {
        if (allowed ? errno != 0 : errno < 1 || errno > 4095) {
            throw new IllegalArgumentException(allowed ? "an allowed call has no errno" : "errno must be 1..4095: " + errno);
        }
    }

    /**
     * The call proceeds as the caller made it (SECCOMP_USER_NOTIF_FLAG_CONTINUE). Sound only on what the
     * notification itself carries: scalar arguments. Memory a pointer argument refers to may change between the
     * decision and the kernel reading it (see docs/seccomp.md).
     */
    public static Decision allow() {
        return ALLOW;
    }

    /** The call is not made; it returns -1 with {@code errno}. */
    public static Decision deny(int errno) {
        return new Decision(false, errno);
    }

    /** "allow" or "deny EPERM". */
    @Override
    public String toString() {
        return allowed ? "allow" : "deny " + Errno.name(errno);
    }
}
