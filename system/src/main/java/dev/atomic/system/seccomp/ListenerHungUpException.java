package dev.atomic.system.seccomp;

/** No process uses a listener's filter any more: no notification can ever come. */
public final class ListenerHungUpException extends RuntimeException {
    public ListenerHungUpException(String message) {
        super(message);
    }
}
