package dev.atomic.component;

import dev.atomic.component.kabi.Service;
import dev.atomic.component.kabi.ServiceInterface;
import dev.atomic.component.kabi.Stubs;

import java.io.PrintStream;

/** What a component can do: nothing but through the Engine. */
public interface ComponentContext {
    String id();

    /** The system this component was booted in: every component's manifest, as its release holds them. */
    SystemSpec system();

    /** The name of the system this component was booted in. */
    default String systemName() {
        return system().name();
    }

    /** Answers requests for a service this component's spec says it provides. */
    void provide(String service, ServiceHandler handler);

    /**
     * Like {@link #provide}, but the handler runs on the lane thread itself: no hand-off to a worker, so the
     * lowest latency — for handlers that are quick and never block (never call another service).
     */
    void provideInline(String service, ServiceHandler handler);

    /** Receives events sent to a service this component provides. */
    void onEvent(String service, EventHandler handler);

    /**
     * Receives what the observe capability shows of the components its manifest names ({@code observe}): their
     * starts, faults and telemetry, sent by the Engine. On the lane thread: keep the handler quick. A component
     * without the capability receives nothing.
     */
    void observe(java.util.function.Consumer<Observation> handler);

    /**
     * Asks the Engine to inject a fault into another component: a crash (the Engine's own SIGKILL), or a hang, leak
     * or storm (the target's test hook, {@link Component#inject}). Allowed only where this component's manifest
     * grants it ({@code inject}); audited either way. Returns the Engine's or the target's words for what was done.
     */
    String inject(String component, Injection kind) throws CallFailedException;

    /** Tells {@code listener} whenever a service this component is bound to goes down or comes back. */
    void onServiceState(ServiceStateListener listener);

    /** A client for a service this component was granted; refused otherwise. */
    ServiceClient client(String service);

    /** What this component's manifest says of it. */
    ComponentSpec spec();

    /**
     * A typed stub for a granted service, bound by its {@link Service}-annotated interface (docs/kabi.md); each call
     * waits at most {@code timeout}.
     */
    default <T> T client(Class<T> service, java.time.Duration timeout) {
        return Stubs.client(service, client(ServiceInterface.of(service).name()), timeout);
    }

    /** A typed stub whose calls wait at most {@link Stubs#DEFAULT_TIMEOUT}. */
    default <T> T client(Class<T> service) {
        return client(service, Stubs.DEFAULT_TIMEOUT);
    }

    /** Answers a provided service with an implementation of its {@link Service}-annotated interface. */
    default <T> void provide(Class<T> service, T implementation) {
        provide(checkedName(service), Stubs.handler(service, implementation));
    }

    /** Like {@link #provide(Class, Object)}, on the lane thread: for methods that are quick and never block. */
    default <T> void provideInline(Class<T> service, T implementation) {
        provideInline(checkedName(service), Stubs.handler(service, implementation));
    }

    /** The service's name, once its binding is known to implement every version the manifest promises. */
    private String checkedName(Class<?> service) {
        ServiceInterface binding = ServiceInterface.of(service);
        ServiceRef promised = spec().provides().stream().filter(p -> p.name().equals(binding.name())).findFirst()
                .orElse(null);
        if (promised != null && promised.version() > binding.version()) {
            throw new IllegalArgumentException(id() + "'s manifest provides " + binding.name() + " v"
                    + promised.version() + ", but " + service.getName() + " implements only up to v"
                    + binding.version());
        }
        return binding.name();
    }

    /**
     * Where this component sees the FUSE mount of {@code driver}, when its manifest grants it ({@code [sandbox]
     * mounts}); empty otherwise. Its files are served by that driver, whose crashes the calls there do not see.
     */
    default java.util.Optional<java.nio.file.Path> mount(String driver) {
        return GrantedMounts.of(spec(), driver);
    }

    /** The component's log (a file the Sovereign keeps for it). */
    PrintStream log();

    /**
     * Ends this component as a failure, saying why: its process exits with status 1, or, in a partition host (Tier 1),
     * it alone is unloaded and the Engine told. Either way the Engine reports and restarts it. Does not return.
     */
    void exit(String why);
}
