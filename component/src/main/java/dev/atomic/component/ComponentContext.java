package dev.atomic.component;

import java.io.PrintStream;

/** What a component can do: nothing but through the Engine. */
public interface ComponentContext {
    String id();

    /** Answers requests for a service this component's spec says it provides. */
    void provide(String service, ServiceHandler handler);

    /** A client for a service this component was granted; refused otherwise. */
    ServiceClient client(String service);

    /** The component's log (a file the Sovereign keeps for it). */
    PrintStream log();
}
