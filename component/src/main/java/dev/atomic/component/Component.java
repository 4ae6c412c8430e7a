package dev.atomic.component;

/**
 * What a component author implements. The host calls {@link #init} once the component's lanes are open and its
 * grants are known, then {@link #start}; {@link #stop} when Atomic shuts it down. A component that dies is
 * restarted by the Engine: a new process, a new instance, {@code init} and {@code start} again.
 */
public interface Component {
    /** Declare provided services and look up clients here. */
    default void init(ComponentContext context) throws Exception {
    }

    /** Start work; may return at once (the host keeps serving requests) or run until stopped. */
    default void start() throws Exception {
    }

    default void stop() {
    }
}
