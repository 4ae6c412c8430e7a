package dev.atomic.system;

/** Landlock (unprivileged file-access sandboxing): which ABI the running kernel offers. */
public final class Landlock {
    private static final long LANDLOCK_CREATE_RULESET_VERSION = 1;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

    private Landlock() {
    }

    /**
     * The Landlock ABI version the running kernel offers, or 0 when it offers none: not built in (ENOSYS),
     * disabled at boot (EOPNOTSUPP), or the call is refused by a seccomp filter around us (EPERM).
     */
    public static int abiVersion() {
        long result = Libc.raw(st -> Words.call(Libc.SYSCALL, st, Libc.SYS_LANDLOCK_CREATE_RULESET, 0L, 0L,
                LANDLOCK_CREATE_RULESET_VERSION, 0L));
        if (result >= 0) {
            return (int) result;
        }
        int errno = (int) -result;
        if (errno == ENOSYS || errno == EOPNOTSUPP || errno == EPERM) {
            return 0;
        }
        throw new SyscallException("landlock_create_ruleset", "LANDLOCK_CREATE_RULESET_VERSION", errno);
    }
}
