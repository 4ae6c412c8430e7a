package dev.atomic.component;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the Sovereign needs to start a component and the Engine needs to route for it: what a manifest
 * ({@code docs/manifest.md}) says of one component.
 *
 * @param kind          driver, app or service
 * @param image         what runs: a Java component class, or an executable
 * @param provides      services it answers, with the newest interface version it implements
 * @param calls         services it may call, with the versions it can speak and the methods granted: its
 *                      capabilities; anything else is refused
 * @param rateBudget    frames per second it may send before the Engine throttles it, then cuts it off
 * @param cpuLimit      the CPU time it may use, in CPUs (0.5: half of one); 0 for no limit of its own
 * @param cpuWeight     its share of its kernel's CPU under contention, against the kernel's other components, in
 *                      cgroup v2 units: 1 to 10000, 0 for the default 100. Unlike a limit it never idles a CPU.
 *                      An input driver takes {@link #INPUT_WEIGHT}, so that a busy app beside it never delays it
 * @param version       the component's own version, like 1.4.2
 * @param restart       when the Engine starts it again after a failure, and how often
 * @param state         whether it keeps state across restarts
 * @param sandbox       the host paths and network its sandbox lets it see
 * @param tier          1: trusted, may share a partition host process; 2: a sandboxed process of its own
 * @param activation    at boot, or on demand (a service: started by its first request, frozen and stopped when idle)
 * @param observe       the components whose telemetry and events the Engine sends it, read-only (the observe
 *                      capability: an antivirus, an anti-cheat); {@link #OBSERVE_ALL} for every other one
 * @param watch         how often it checkpoints and is asked its health, and when it is judged hung
 * @param inject        the components it may inject faults into ({@code atomic inject}, through the Engine: the
 *                      console service's grant); {@link #OBSERVE_ALL} for every other one
 * @param tierEarned    with tier 1: Tier 1 is earned, not given: it starts in Tier 2, and policy 5 moves it into its
 *                      kernel's partition host after a clean minute, out again on a fault
 */
public record ComponentSpec(String id, Kernel kernel, String kind, Image image, List<ServiceRef> provides,
                            List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget,
                            double cpuLimit, int cpuWeight, String version, RestartPolicy restart, StateKind state,
                            SandboxGrants sandbox, int tier, Activation activation, List<String> observe, Watch watch,
                            List<String> inject, boolean tierEarned) {

    /** In {@link #observe}: every other component of the system. */
    public static final String OBSERVE_ALL = "*";

    /** Ten times the default: an input driver's events wait for no other component of its kernel. */
    public static final int INPUT_WEIGHT = 1000;
    /** The version of a component whose spec names none. */
    public static final String NO_VERSION = "0.0.0";
    public static final int DEFAULT_TIER = 2;
    static final Set<String> KINDS = Set.of("driver", "app", "service");

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    private static final Pattern VERSION = Pattern.compile("\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}(-[0-9A-Za-z.-]{1,40})?");

    /** Tier 1, where it says so, given, not earned. */
    public ComponentSpec(String id, Kernel kernel, String kind, Image image, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget, double cpuLimit,
                         int cpuWeight, String version, RestartPolicy restart, StateKind state, SandboxGrants sandbox,
                         int tier, Activation activation, List<String> observe, Watch watch, List<String> inject) {
        this(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rateBudget, cpuLimit, cpuWeight,
                version, restart, state, sandbox, tier, activation, observe, watch, inject, false);
    }

    /** Injecting faults into nobody. */
    public ComponentSpec(String id, Kernel kernel, String kind, Image image, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget, double cpuLimit,
                         int cpuWeight, String version, RestartPolicy restart, StateKind state, SandboxGrants sandbox,
                         int tier, Activation activation, List<String> observe, Watch watch) {
        this(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rateBudget, cpuLimit, cpuWeight,
                version, restart, state, sandbox, tier, activation, observe, watch, List.of());
    }

    /** Started at boot. */
    public ComponentSpec(String id, Kernel kernel, String kind, Image image, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget,
                         double cpuLimit, int cpuWeight, String version, RestartPolicy restart, StateKind state,
                         SandboxGrants sandbox, int tier) {
        this(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rateBudget, cpuLimit, cpuWeight,
                version, restart, state, sandbox, tier, Activation.BOOT);
    }

    /** Observing nobody. */
    public ComponentSpec(String id, Kernel kernel, String kind, Image image, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget, double cpuLimit,
                         int cpuWeight, String version, RestartPolicy restart, StateKind state, SandboxGrants sandbox,
                         int tier, Activation activation) {
        this(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rateBudget, cpuLimit, cpuWeight,
                version, restart, state, sandbox, tier, activation, List.of());
    }

    /** Watched as by default. */
    public ComponentSpec(String id, Kernel kernel, String kind, Image image, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget, double cpuLimit,
                         int cpuWeight, String version, RestartPolicy restart, StateKind state, SandboxGrants sandbox,
                         int tier, Activation activation, List<String> observe) {
        this(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rateBudget, cpuLimit, cpuWeight,
                version, restart, state, sandbox, tier, activation, observe, Watch.DEFAULT);
    }

    /** A Java component from the installation's class path, with the defaults of every later field. */
    public ComponentSpec(String id, Kernel kernel, String kind, String mainClass, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget,
                         double cpuLimit, int cpuWeight) {
        this(id, kernel, kind, Image.java(mainClass), provides, calls, memoryMaxBytes, pidsMax, rateBudget, cpuLimit,
                cpuWeight, NO_VERSION, RestartPolicy.DEFAULT, StateKind.STATELESS, SandboxGrants.NONE, DEFAULT_TIER);
    }

    /** No CPU limit of its own (its kernel's still applies). */
    public ComponentSpec(String id, Kernel kernel, String kind, String mainClass, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget) {
        this(id, kernel, kind, mainClass, provides, calls, memoryMaxBytes, pidsMax, rateBudget, 0);
    }

    /** The default CPU weight. */
    public ComponentSpec(String id, Kernel kernel, String kind, String mainClass, List<ServiceRef> provides,
                         List<ServiceRef> calls, long memoryMaxBytes, long pidsMax, long rateBudget,
                         double cpuLimit) {
        this(id, kernel, kind, mainClass, provides, calls, memoryMaxBytes, pidsMax, rateBudget, cpuLimit, 0);
    }

    public ComponentSpec {
        String problem = idProblem(id);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        provides = List.copyOf(provides);
        calls = List.copyOf(calls);
        observe = List.copyOf(observe);
        inject = List.copyOf(inject);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException(id + ": a kind is driver, app or service, not '" + kind + "'");
        }
        for (String p : new String[]{cpuLimitProblem(cpuLimit), cpuWeightProblem(cpuWeight), rateProblem(rateBudget),
                versionProblem(version), tierProblem(tier)}) {
            if (p != null) {
                throw new IllegalArgumentException(id + ": " + p);
            }
        }
        java.util.Objects.requireNonNull(image, "image");
        java.util.Objects.requireNonNull(restart, "restart");
        java.util.Objects.requireNonNull(state, "state");
        java.util.Objects.requireNonNull(sandbox, "sandbox");
        java.util.Objects.requireNonNull(watch, "watch");
        java.util.Objects.requireNonNull(activation, "activation");
        String activationProblem = activationProblem(activation.onDemand(), kind, provides.isEmpty());
        if (activationProblem != null) {
            throw new IllegalArgumentException(id + ": " + activationProblem);
        }
        if (tierEarned && tier != 1) {
            throw new IllegalArgumentException(id + ": " + TIER_EARNED_PROBLEM);
        }
        if (!sandbox.fuseMount().isEmpty() && SandboxGrants.fuseHolderProblem(kind, tier, restart.spare()) != null) {
            throw new IllegalArgumentException(id + ": " + SandboxGrants.fuseHolderProblem(kind, tier, restart.spare()));
        }
    }

    /** Only a service that provides something can be started by a request to it. */
    static String activationProblem(boolean onDemand, String kind, boolean providesNothing) {
        if (!onDemand) {
            return null;
        }
        if (!"service".equals(kind)) {
            return "only a service is started on demand; a " + kind + " starts at boot";
        }
        return providesNothing ? "an on-demand service must provide a service: no request could ever start it" : null;
    }

    static String idProblem(String id) {
        return id != null && ID.matcher(id).matches() ? null : "component id '" + id
                + "' must be 1-40 characters of a-z, 0-9 and '-', starting with a letter";
    }

    static String cpuLimitProblem(double cpus) {
        return cpus >= 0 && cpus <= 1024 ? null : "a CPU limit is 0 (none) or a positive number of CPUs";
    }

    static String cpuWeightProblem(long weight) {
        return weight >= 0 && weight <= 10_000 ? null : "a CPU weight is 1 to 10000, or 0 for the default (100)";
    }

    static String rateProblem(long rate) {
        return rate >= 1 ? null : "rate budget must be at least 1 frame per second";
    }

    static final String TIER_EARNED_PROBLEM = "tier-earned needs tier = 1: the tier it may earn";

    static String tierProblem(long tier) {
        return tier == 1 || tier == 2 ? null : "a tier is 1 or 2, not " + tier;
    }

    static String versionProblem(String version) {
        return version != null && VERSION.matcher(version).matches() ? null
                : "a version is like 1.4.2 or 1.4.2-rc1, not \"" + version + "\"";
    }

    /** The Java class the component host runs; refused for an executable image. */
    public String mainClass() {
        if (image.kind() != Image.Kind.JAVA) {
            throw new IllegalStateException(id + "'s image is the executable " + image.entry()
                    + ", not a Java class: the Sovereign starts it without a component host");
        }
        return image.entry();
    }

    /** This spec with another CPU weight. */
    public ComponentSpec withCpuWeight(int weight) {
        return new ComponentSpec(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rateBudget,
                cpuLimit, weight, version, restart, state, sandbox, tier, activation, observe, watch, inject,
                tierEarned);
    }

    /** This spec with another rate budget. */
    public ComponentSpec withRate(long rate) {
        return new ComponentSpec(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rate, cpuLimit,
                cpuWeight, version, restart, state, sandbox, tier, activation, observe, watch, inject,
                tierEarned);
    }

    /** This spec at another tier: a demoted Tier 1 component is started as Tier 2 (earning nothing there). */
    public ComponentSpec withTier(int tier) {
        return new ComponentSpec(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rateBudget,
                cpuLimit, cpuWeight, version, restart, state, sandbox, tier, activation, observe, watch, inject,
                tierEarned && tier == 1);
    }

    /** This spec started as {@code activation} says. */
    public ComponentSpec withActivation(Activation activation) {
        return new ComponentSpec(id, kernel, kind, image, provides, calls, memoryMaxBytes, pidsMax, rateBudget,
                cpuLimit, cpuWeight, version, restart, state, sandbox, tier, activation, observe, watch, inject,
                tierEarned);
    }

    /** Whether the observe capability covers the component {@code other}. */
    public boolean observes(String other) {
        return !other.equals(id) && (observe.contains(OBSERVE_ALL) || observe.contains(other));
    }

    /** Whether it may inject faults into the component {@code other}. */
    public boolean injects(String other) {
        return !other.equals(id) && (inject.contains(OBSERVE_ALL) || inject.contains(other));
    }

    /** The grant for a service, or null when it has none. */
    public ServiceRef grant(String service) {
        return calls.stream().filter(c -> c.name().equals(service)).findFirst().orElse(null);
    }

    public boolean provides(String service) {
        return provides.stream().anyMatch(p -> p.name().equals(service));
    }
}
