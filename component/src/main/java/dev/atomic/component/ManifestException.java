package dev.atomic.component;

import java.util.List;

/** Manifests that cannot be used, with every error found, each as {@code file:line: what is wrong}. */
public final class ManifestException extends IllegalArgumentException {
    private final List<String> errors;

    public ManifestException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
