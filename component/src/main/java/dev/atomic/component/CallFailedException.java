package dev.atomic.component;

/** A call did not produce a reply: refused, timed out, or the provider failed. The message says which. */
public final class CallFailedException extends Exception {
    public CallFailedException(String message) {
        super(message);
    }
}
