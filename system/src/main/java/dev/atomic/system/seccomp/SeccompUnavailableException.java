package dev.atomic.system.seccomp;

/** libseccomp, or the kernel's seccomp, cannot do what was asked here; the message says why and what to install. */
public final class SeccompUnavailableException extends RuntimeException {
    public SeccompUnavailableException(String message) {
        super(message);
    }
}
