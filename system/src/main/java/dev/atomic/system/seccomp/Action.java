package dev.atomic.system.seccomp;

import dev.atomic.system.Errno;

/**
 * What a filter does with a call: one of libseccomp's SCMP_ACT_* values. When several loaded filters match a call,
 * the kernel applies the strictest: KILL_PROCESS, then ERRNO, then NOTIFY, then LOG, then ALLOW.
 */
public final class Action {
    private static final int ERRNO_BASE = 0x0005_0000;
    private static final int ACTION_MASK = 0xffff_0000;
    private static final int MAX_ERRNO = 4095;

    /** SCMP_ACT_ALLOW: the call runs. */
    public static final Action ALLOW = new Action(0x7fff_0000, "ALLOW");
    /** SCMP_ACT_KILL_PROCESS: the whole process dies of SIGSYS, which it cannot catch. */
    public static final Action KILL_PROCESS = new Action(0x8000_0000, "KILL_PROCESS");
    /** SCMP_ACT_LOG: the call runs and the kernel writes an audit record (if kernel.seccomp.actions_logged says so). */
    public static final Action LOG = new Action(0x7ffc_0000, "LOG");
    /**
     * SCMP_ACT_NOTIFY: the calling thread waits while the filter's listener decides (see {@link Notifications});
     * without a listener, or once every copy of it is closed, the call fails with ENOSYS.
     */
    public static final Action NOTIFY = new Action(0x7fc0_0000, "NOTIFY");

    private final int value;
    private final String text;

    private Action(int value, String text) {
        this.value = value;
        this.text = text;
    }

    /** SCMP_ACT_ERRNO: the call is not made; it returns -1 with errno set to {@code errno} (1 to 4095). */
    public static Action errno(int errno) {
        if (errno < 1 || errno > MAX_ERRNO) {
            throw new IllegalArgumentException("errno must be 1.." + MAX_ERRNO + ": " + errno);
        }
        return new Action(ERRNO_BASE | errno, "ERRNO(" + Errno.name(errno) + ")");
    }

    /** The SCMP_ACT_* value libseccomp takes. */
    public int value() {
        return value;
    }

    /** The errno an ERRNO action returns; 0 for any other action. */
    public int errno() {
        return (value & ACTION_MASK) == ERRNO_BASE ? value & 0xffff : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Action a && a.value == value;
    }

    @Override
    public int hashCode() {
        return value;
    }

    /** {@code ALLOW}, {@code KILL_PROCESS}, {@code LOG}, {@code NOTIFY} or {@code ERRNO(EPERM)}. */
    @Override
    public String toString() {
        return text;
    }
}
