package dev.atomic.sovereign;

import dev.atomic.auditor.Mode;
import dev.atomic.auditor.Reservation;
import dev.atomic.component.ComponentSpec;
import dev.atomic.system.Proc;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.CgroupException;
import dev.atomic.system.cgroup.CgroupMounts;
import dev.atomic.system.cgroup.CgroupPlacement;
import dev.atomic.system.cgroup.Cgroups;
import dev.atomic.system.cgroup.CgroupsUnavailable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Sovereign's cgroup tree — {@code <instance>/{sovereign,engine,services,dak/<component>,background}} — and the reservation
 * it applies ({@link Reserve}), each component's own limits and weight, and in partitioned mode the host's IRQs
 * steered off the Engine's CPUs. Without carving ({@code --no-carving}, for comparisons) everything shares one flat
 * group. Where the host gives no usable cgroups, Atomic runs unconfined and says why.
 * <p>
 * <b>CPU.</b> In shared mode, CPU weights make a busy Drivers &amp; Apps kernel yield to the Engine and the services
 * at once, yet leave it every CPU they do not use: not a quota (it lets a spinning kernel hold every CPU until its
 * time runs out, exactly the stall a management plane must not see), not a cpuset split (it would crowd every driver
 * and app onto fewer CPUs). Within a kernel a component may weigh more than the rest ({@link ComponentSpec#cpuWeight}):
 * an input driver beside a flooding app. In partitioned mode the Engine's CPUs are its own: a partition root on
 * cgroup v2, which takes them from every other process; {@code cpuset.cpu_exclusive} on v1, which only keeps other
 * cpusets off them, and needs the instance's group exclusive too, so that no other top-level cpuset can be given any
 * of the instance's CPUs while Atomic runs.
 * <p>
 * <b>Memory.</b> On v2 the Engines (active and standby: heap and metaspace each, see {@link MemoryProtection}) and
 * the bridges (the reservation's bridge budget, charged to the Sovereign, which creates and locks every segment)
 * get {@code memory.min}: the kernel reclaims none of it, whatever the pressure. The Engines' unbudgeted native
 * memory gets best-effort {@code memory.low} on top. v1 has no protection at all: its
 * {@code memory.soft_limit_in_bytes} works the other way round, naming what to reclaim <em>first</em> under host
 * pressure. So the nearest v1 equivalent is a soft limit of 0 on the two kernels, leaving the Engines and the
 * Sovereign unlimited: they are reclaimed last, not never, and the boot report says so. The bridges are locked in
 * RAM besides (mlock), on either version.
 */
final class Carving implements AutoCloseable, Freezer.Groups, Resizing.Groups {
    private static final long PERIOD_MICROS = 100_000;
    /** Without carving, the one group everything shares. */
    private static final String FLAT = "all";
    private static final String BACKGROUND = "background";

    private final String instance;
    private final Cgroups cgroups;
    private final String unavailable;
    private final boolean limits;
    private final List<Cgroup> created = new ArrayList<>();
    private final List<String> applied = new ArrayList<>();
    private CgroupPlacement sovereignWasIn;
    private IrqSteering irqs;

    private Carving(String instance, Cgroups cgroups, String unavailable, boolean limits) {
        this.instance = instance;
        this.cgroups = cgroups;
        this.unavailable = unavailable;
        this.limits = limits;
    }

    /** @param limits false to build the tree without applying the reservation or limits (for comparisons) */
    static Carving create(String instance, Reservation reservation, int cpus, boolean limits) {
        return create(instance, reservation, cpus, limits, IrqSteering.PROC_IRQ);
    }

    /** @param irqRoot {@code /proc/irq}, or a tree shaped like it */
    static Carving create(String instance, Reservation reservation, int cpus, boolean limits, Path irqRoot) {
        Carving carving = tree(instance, reservation, cpus, limits);
        if (limits && reservation.mode() == Mode.PARTITIONED) {
            carving.irqs = IrqSteering.steer(irqRoot, reservation.engineCpus());
        }
        return carving;
    }

    private static Carving tree(String instance, Reservation reservation, int cpus, boolean limits) {
        Cgroups cgroups;
        try {
            cgroups = Cgroups.detect();
        } catch (CgroupsUnavailable e) {
            return new Carving(instance, null, e.getMessage(), limits);
        }
        Carving carving = new Carving(instance, cgroups, null, limits);
        // A tree left by a boot that was killed: nothing can be running in it (the instance lock is ours).
        cgroups.find(instance).ifPresent(stale -> {
            stale.killAll();
            stale.remove();
        });
        try {
            Cgroup top = carving.group(instance);
            if (limits) {
                carving.joinSovereign();
                Reserve.Tree tree = new Reserve.Tree(top, carving.group(instance + "/sovereign"),
                        carving.group(instance + "/engine"), carving.group(instance + "/services"),
                        carving.group(instance + "/dak"), carving.group(instance + "/" + BACKGROUND));
                carving.applied.addAll(Reserve.apply(cgroups, tree, reservation, cpus,
                        MemoryProtection.of(Sovereign.ENGINE_TUNING, reservation.bridgeBytes())));
            } else {
                carving.group(instance + "/" + FLAT);
            }
        } catch (CgroupException | IOException e) {
            carving.close();
            return new Carving(instance, null, e.getMessage(), limits);
        }
        return carving;
    }

    /** The Sovereign itself leaves where it was started for its own group, and goes back there at the end. */
    private void joinSovereign() throws IOException {
        long self = Proc.pid();
        sovereignWasIn = CgroupPlacement.of(self, CgroupMounts.parse(Files.readString(Path.of("/proc/self/mountinfo"))));
        group(instance + "/sovereign").addProcess(self);
    }

    String describe() {
        String steering = irqs == null ? "" : "; " + irqs.describe();
        if (cgroups == null) {
            return "no cgroups (" + unavailable + "): components run unconfined" + steering;
        }
        return "cgroup " + cgroups.version() + ": " + (limits ? instance + "/{sovereign,engine,services,dak,background} created; "
                + String.join("; ", applied) : "NOT carved (--no-carving): everything in one group " + instance + "/"
                + FLAT + ", no reservation, no limits") + steering + "; controllers "
                + String.join(", ", cgroups.controllers());
    }

    /** The group of work nobody waits for ({@link dev.atomic.system.cgroup.Background}), where the tree is carved. */
    Optional<Cgroup> background() {
        return cgroups == null || !limits ? Optional.empty() : Optional.of(group(instance + "/" + BACKGROUND));
    }

    Optional<Cgroup> engine() {
        return cgroups == null ? Optional.empty() : Optional.of(group(instance + "/" + (limits ? "engine" : FLAT)));
    }

    /** The component's own group, with the limits and weight of its spec where the host has the controller. */
    Optional<Cgroup> component(ComponentSpec spec) {
        if (cgroups == null) {
            return Optional.empty();
        }
        if (!limits) {
            return Optional.of(group(instance + "/" + FLAT));
        }
        Cgroup g = group(instance + "/" + spec.kernel().word() + "/" + spec.id());
        Set<String> controllers = cgroups.controllers();
        if (controllers.contains("memory")) {
            g.setMemoryMax(spec.memoryMaxBytes());
        }
        if (controllers.contains("pids")) {
            g.setPidsMax(spec.pidsMax());
        }
        if (spec.cpuLimit() > 0 && controllers.contains("cpu")) {
            setCpus(g, spec.cpuLimit());
        }
        if (spec.cpuWeight() > 0 && controllers.contains("cpu")) {
            g.setCpuWeight(spec.cpuWeight());
        }
        return Optional.of(g);
    }

    /** The component's own group, to resize while it runs (policy 3), or why there is none ({@link Resizing}). */
    @Override
    public Optional<Cgroup> resizable(ComponentSpec spec) {
        return cgroups == null || !limits ? Optional.empty()
                : Optional.of(group(instance + "/" + spec.kernel().word() + "/" + spec.id()));
    }

    @Override
    public String whyNotResizable() {
        return cgroups == null ? "no cgroups: " + unavailable : !limits
                ? "not carved (--no-carving): every component shares one group" : null;
    }

    @Override
    public Set<String> controllers() {
        return cgroups == null ? Set.of() : cgroups.controllers();
    }

    /** A CPU quota in the group's period: {@code cpus} of CPU time (at least 1 ms a period), or none when negative. */
    static void setCpus(Cgroup g, double cpus) {
        g.setCpuQuota(cpus < 0 ? -1 : Math.max(1000, Math.round(cpus * PERIOD_MICROS)), PERIOD_MICROS);
    }

    /** The component's own group, where it can be frozen alone: carved, with a freezer. */
    @Override
    public Optional<Cgroup> freezable(ComponentSpec spec) {
        return whyNotFreezable() != null ? Optional.empty()
                : Optional.of(group(instance + "/" + spec.kernel().word() + "/" + spec.id()));
    }

    @Override
    public String whyNotFreezable() {
        if (cgroups == null) {
            return "no cgroups: " + unavailable;
        }
        if (!limits) {
            return "not carved (--no-carving): every component shares one group";
        }
        return cgroups.controllers().contains("freezer") ? null
                : "cgroup " + cgroups.version() + " without the freezer controller";
    }

    /** Synchronized: the Freezer's thread looks groups up while the Sovereign's creates them. */
    private synchronized Cgroup group(String path) {
        Optional<Cgroup> existing = created.stream().filter(c -> c.path().equals(path)).findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        Cgroup g = cgroups.create(path);
        created.add(g);
        return g;
    }

    /**
     * Gives the IRQs their CPUs back, puts the Sovereign back where it came from, kills whatever is left, deepest
     * groups first, and removes the tree.
     */
    @Override
    public void close() {
        if (irqs != null) {
            irqs.restore().forEach(System.err::println);
            irqs = null;
        }
        if (cgroups == null || created.isEmpty()) {
            return;
        }
        if (sovereignWasIn != null) {
            sovereignWasIn.restore(Proc.pid());
        }
        for (Cgroup g : created.reversed()) {
            if (!g.path().equals(instance + "/sovereign")) {
                g.killAll();
            }
        }
        created.getFirst().remove();
        created.clear();
    }

    int groups() {
        return created.size();
    }
}
