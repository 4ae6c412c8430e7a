package dev.atomic.bench;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;
import dev.atomic.component.ServiceRef;
import dev.atomic.component.SystemSpec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.atomic.component.SystemSpec.refs;

/**
 * The system of the carving benchmark: the management plane in the Services kernel — {@link Probe} answering at
 * once, {@link Prober} timing a call to it every {@link Prober#INTERVAL} — and two bad neighbours in the Drivers
 * &amp; Apps kernel: {@link Hog}, spinning on every CPU, and {@link Leaker}, allocating memory until its limit
 * stops it. Named {@code bench-carving} (the default timings) or {@code bench-carving-<warm-up ms>-<measured ms>}:
 * the prober reads its timings from the name, which every Atomic process receives.
 *
 * @param warmup   how long the prober calls untimed once the harness says Atomic is ready
 * @param measured how long it then times its calls
 */
record CarvingSystem(Duration warmup, Duration measured) {
    static final String PROBE = "probe";
    static final long MIB = 1024 * 1024;
    /** The leaker's memory limit, in its spec: what carving holds it to. */
    static final long LEAKER_LIMIT = 256 * MIB;
    /** Every other component's limit, as in the bridge benchmark's systems. */
    private static final long MEMORY = 192 * MIB;
    private static final long PIDS = 64;
    static final CarvingSystem DEFAULT = new CarvingSystem(Duration.ofSeconds(5), Duration.ofSeconds(15));
    private static final String PREFIX = "bench-carving";
    private static final Pattern NAME = Pattern.compile(PREFIX + "(?:-(\\d+)-(\\d+))?");

    CarvingSystem {
        if (warmup.isNegative() || !measured.isPositive()) {
            throw new IllegalArgumentException("warm-up " + warmup + ", measured " + measured);
        }
    }

    String name() {
        return equals(DEFAULT) ? PREFIX : PREFIX + "-" + warmup.toMillis() + "-" + measured.toMillis();
    }

    static Optional<CarvingSystem> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(1) == null) {
            return Optional.of(DEFAULT);
        }
        try {
            return Optional.of(new CarvingSystem(Duration.ofMillis(Long.parseLong(m.group(1))),
                    Duration.ofMillis(Long.parseLong(m.group(2)))));
        } catch (IllegalArgumentException e) { // too many digits, or a zero window: not ours
            return Optional.empty();
        }
    }

    SystemSpec spec() {
        return new SystemSpec(name(), List.of(
                component("probe", Kernel.SERVICES, "service", Probe.class, refs(PROBE + "@1"), refs(), MEMORY),
                component("prober", Kernel.SERVICES, "service", Prober.class, refs(),
                        refs(PROBE + "@1#" + Probe.ECHO), MEMORY),
                component("hog", Kernel.DAK, "app", Hog.class, refs(), refs(), MEMORY),
                component("leaker", Kernel.DAK, "app", Leaker.class, refs(), refs(), LEAKER_LIMIT)));
    }

    private static ComponentSpec component(String id, Kernel kernel, String kind, Class<?> main,
                                           List<ServiceRef> provides, List<ServiceRef> calls, long memory) {
        return new ComponentSpec(id, kernel, kind, main.getName(), provides, calls, memory, PIDS,
                SystemSpec.DEFAULT_RATE);
    }
}
