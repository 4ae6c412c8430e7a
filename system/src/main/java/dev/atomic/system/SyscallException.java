package dev.atomic.system;

/**
 * A system call failed. The message names the call, its key argument and the errno, e.g.
 * {@code memfd_create("atomic-bridge") failed: EMFILE (Too many open files)}.
 */
public final class SyscallException extends RuntimeException {
    private final String call;
    private final int errno;

    /** @param argument the key argument as it should read inside the parentheses (quote strings yourself) */
    public SyscallException(String call, String argument, int errno) {
        super(call + "(" + argument + ") failed: " + Errno.name(errno) + " (" + Errno.describe(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }
}
