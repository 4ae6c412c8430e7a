package dev.atomic.component;

import java.io.PrintStream;

/** What a component can do: nothing but through the Engine. */
public interface ComponentContext {
    String id();

    /** The name of the system this component was booted in. */
    String systemName();

    /** Answers requests for a service this component's spec says it provides. */
    void provide(String service, ServiceHandler handler);

    /**
     * Like {@link #provide}, but the handler runs on the lane thread itself: no hand-off to a worker, so the
     * lowest latency — for handlers that are quick and never block (never call another service).
     */
    void provideInline(String service, ServiceHandler handler);

    /** Receives events sent to a service this component provides. */
    void onEvent(String service, EventHandler handler);

    /** A client for a service this component was granted; refused otherwise. */
    ServiceClient client(String service);

    /** The component's log (a file the Sovereign keeps for it). */
    PrintStream log();
}
