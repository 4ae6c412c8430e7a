package dev.atomic.component;

/** Whether a component keeps state across a restart: none, or the last checkpoint it handed over. */
public enum StateKind {
    STATELESS, CHECKPOINTED;

    /** The spelling in manifests. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
