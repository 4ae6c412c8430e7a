package dev.atomic.vault;

/** A refusal or failure of the Vault, in plain words fit to show the operator as is. */
public final class VaultException extends RuntimeException {

    public VaultException(String message) {
        super(message);
    }

    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
