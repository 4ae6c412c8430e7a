package dev.atomic.bench;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.FastPathSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.PoolSpec;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.SystemSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.atomic.component.SystemSpec.refs;

/**
 * A system the bench boots to measure one path under one workload inside a real Atomic: {@link Pong} in the
 * Services kernel, {@link Ping} in the Drivers &amp; Apps kernel measuring its calls to it, and for the critical
 * workloads a {@link Flooder} beside it. Everything the components need travels in the system's name,
 * {@code bench-<route>-<workload>-<warm-up>-<measured>}, which every Atomic process receives.
 */
record BenchSystem(Route route, Workload workload, Counts counts) {
    /** How ping's calls reach pong. */
    enum Route {
        /** Through the Engine, which checks and relays every frame. */
        BROKERED("brokered"),
        /** Over a fast path the Engine opened for the binding and stepped out of. */
        FAST("fast");

        private final String id;

        Route(String id) {
            this.id = id;
        }
    }

    static final String SERVICE = "pong";
    /** Ping lends one buffer at a time; eight, as the default system declares its pool. */
    private static final int POOL_BUFFERS = 8;
    private static final long MIB = 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("bench-([a-z]+)-([a-z0-9-]+)-(\\d+)-(\\d+)");

    String name() {
        return "bench-" + route.id + "-" + workload.id() + "-" + counts.warmup() + "-" + counts.measured();
    }

    static Optional<BenchSystem> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<Route> route = Arrays.stream(Route.values()).filter(r -> r.id.equals(m.group(1))).findFirst();
        Optional<Workload> workload = Workload.byId(m.group(2));
        if (route.isEmpty() || workload.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BenchSystem(route.get(), workload.get(),
                new Counts(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))));
    }

    boolean flooded() {
        return workload == Workload.CRITICAL_64B_FLOODED;
    }

    SystemSpec spec() {
        boolean critical = workload == Workload.CRITICAL_64B || flooded();
        ComponentSpec ping = component("ping", Kernel.DAK, "app", Ping.class, refs(), refs(SERVICE + "@1"));
        List<ComponentSpec> components = new ArrayList<>(List.of(
                component("pong", Kernel.SERVICES, "service", Pong.class, refs(SERVICE + "@1"), refs()),
                // The critical caller stands for an input driver, weighted above the rest of its kernel as one is.
                critical ? ping.withCpuWeight(ComponentSpec.INPUT_WEIGHT) : ping));
        // The quiet critical run has the flooder too, idle: the two runs differ only by the flood.
        if (critical) {
            components.add(component("flooder", Kernel.DAK, "app", Flooder.class, refs(),
                    refs(SERVICE + "@1#" + Pong.TRANSFER)));
        }
        List<PoolSpec> pools = workload == Workload.ZERO_COPY_64KIB
                ? List.of(new PoolSpec("ping", SERVICE, POOL_BUFFERS, workload.payloadBytes())) : List.of();
        List<FastPathSpec> fastPaths = route == Route.FAST ? List.of(new FastPathSpec("ping", SERVICE, 0)) : List.of();
        return new SystemSpec(name(), components, pools, fastPaths);
    }

    private static ComponentSpec component(String id, Kernel kernel, String kind, Class<?> main,
                                           List<ServiceRef> provides, List<ServiceRef> calls) {
        return new ComponentSpec(id, kernel, kind, main.getName(), provides, calls, 192 * MIB, 64,
                SystemSpec.DEFAULT_RATE);
    }
}
