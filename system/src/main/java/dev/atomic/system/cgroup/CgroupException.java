package dev.atomic.system.cgroup;

/** A cgroup operation failed; the message says which group, which file, which value and why. */
public final class CgroupException extends RuntimeException {
    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
