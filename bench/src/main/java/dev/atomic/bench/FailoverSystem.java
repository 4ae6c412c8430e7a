package dev.atomic.bench;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.SystemSpec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The system of the failover benchmark: {@link FailoverCaller}, in the Drivers &amp; Apps kernel, calls
 * {@link FailoverResponder}, in the Services kernel, through the Engine, from {@link #CALLERS} threads, back to
 * back, every call numbered; both keep the books that say whether a message was lost while the Engine was killed.
 */
final class FailoverSystem {
    static final String NAME = "bench-failover";
    static final String SERVICE = "seq";
    static final int ECHO = 1;
    /** Calls in flight at any moment: each thread waits for its call's outcome before the next. */
    static final int CALLERS = 4;
    /** Each call's deadline: an outcome later than this is no outcome (the message is counted lost). */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** In the caller's state directory: the harness asks it to stop calling and report. */
    static final String STOP_FILE = "failover.stop";
    /** In the responder's state directory: the harness, holding the caller's books, asks for the responder's. */
    static final String REPORT_FILE = "failover.report";
    private static final long MIB = 1024 * 1024;

    private FailoverSystem() {
    }

    static Optional<SystemSpec> parse(String name) {
        return NAME.equals(name) ? Optional.of(spec()) : Optional.empty();
    }

    static SystemSpec spec() {
        return new SystemSpec(NAME, List.of(
                component("responder", Kernel.SERVICES, "service", FailoverResponder.class, refs(SERVICE + "@1"),
                        refs()),
                component("caller", Kernel.DAK, "app", FailoverCaller.class, refs(),
                        refs(SERVICE + "@1#" + ECHO))));
    }

    private static ComponentSpec component(String id, Kernel kernel, String kind, Class<?> main,
                                           List<ServiceRef> provides, List<ServiceRef> calls) {
        return new ComponentSpec(id, kernel, kind, main.getName(), provides, calls, 192 * MIB, 64,
                SystemSpec.DEFAULT_RATE);
    }
}
