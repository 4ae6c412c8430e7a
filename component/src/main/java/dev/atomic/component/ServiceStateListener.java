package dev.atomic.component;

/**
 * Told when a service this component is bound to goes down (its provider died, is being restarted, or was given up
 * on) and when it is back. Runs on the lane thread, in order: keep it quick. Calls need no re-binding: the same
 * clients and stubs reach the restarted provider; while the service is down they fail at once.
 */
@FunctionalInterface
public interface ServiceStateListener {
    /** @param detail the Engine's words: the provider, its state and why */
    void changed(String service, boolean up, String detail);
}
