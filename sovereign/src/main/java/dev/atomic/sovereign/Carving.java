package dev.atomic.sovereign;

import dev.atomic.auditor.CpuList;
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
 * The Sovereign's cgroup tree — {@code <instance>/{sovereign,engine,services,dak/<component>}} — and the reservation
 * it applies: the Engine's CPUs exclusive where the profile partitions the host; in shared mode, CPU weights that
 * make a busy Drivers &amp; Apps kernel yield to the Engine and the services at once, yet leave it every CPU they do
 * not use (not a quota: a quota lets a spinning kernel hold every CPU until its time runs out, exactly the stall a
 * management plane must not see; not a cpuset split: it would crowd every driver and app onto fewer CPUs);
 * each component's own memory, pids and CPU limits.
 * Without carving ({@code --no-carving}, for comparisons) everything shares one flat group. Where the host gives no
 * usable cgroups, Atomic runs unconfined and says why.
 */
final class Carving implements AutoCloseable {
    private static final long PERIOD_MICROS = 100_000;
    /** Shared-mode CPU weights, in cgroup v2 units (100 is the default). */
    private static final int ENGINE_WEIGHT = 400;
    private static final int SERVICES_WEIGHT = 200;
    private static final int DAK_WEIGHT = 25;
    /** Without carving, the one group everything shares. */
    private static final String FLAT = "all";

    private final String instance;
    private final Cgroups cgroups;
    private final String unavailable;
    private final boolean limits;
    private final List<Cgroup> created = new ArrayList<>();
    private final List<String> applied = new ArrayList<>();
    private CgroupPlacement sovereignWasIn;

    private Carving(String instance, Cgroups cgroups, String unavailable, boolean limits) {
        this.instance = instance;
        this.cgroups = cgroups;
        this.unavailable = unavailable;
        this.limits = limits;
    }

    /** @param limits false to build the tree without applying the reservation or limits (for comparisons) */
    static Carving create(String instance, Reservation reservation, int cpus, boolean limits) {
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
            carving.group(instance);
            if (limits) {
                carving.joinSovereign();
                Cgroup engine = carving.group(instance + "/engine");
                Cgroup services = carving.group(instance + "/services");
                Cgroup dak = carving.group(instance + "/dak");
                carving.reserve(reservation, cpus, engine, services, dak);
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

    private void reserve(Reservation r, int cpus, Cgroup engine, Cgroup services, Cgroup dak) {
        Set<String> controllers = cgroups.controllers();
        if (r.mode() == Mode.PARTITIONED && controllers.contains("cpuset")) {
            List<Integer> rest = new ArrayList<>();
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (!r.engineCpus().contains(cpu)) {
                    rest.add(cpu);
                }
            }
            engine.setCpus(CpuList.format(r.engineCpus()));
            services.setCpus(CpuList.format(rest));
            dak.setCpus(CpuList.format(rest));
            applied.add("Engine alone on CPU " + CpuList.format(r.engineCpus()) + ", kernels on " + CpuList.format(rest));
        } else if (controllers.contains("cpu")) {
            engine.setCpuWeight(ENGINE_WEIGHT);
            services.setCpuWeight(SERVICES_WEIGHT);
            dak.setCpuWeight(DAK_WEIGHT);
            applied.add("CPU weights engine " + ENGINE_WEIGHT + ", services " + SERVICES_WEIGHT + ", drivers & apps "
                    + DAK_WEIGHT + " (" + r.mode().name().toLowerCase() + " mode: no CPU is the Engine's alone)");
        } else {
            applied.add("no CPU carving (no cpu or cpuset controller)");
        }
    }

    String describe() {
        if (cgroups == null) {
            return "no cgroups (" + unavailable + "): components run unconfined";
        }
        return "cgroup " + cgroups.version() + ": " + (limits ? instance + "/{sovereign,engine,services,dak} created; "
                + String.join("; ", applied) : "NOT carved (--no-carving): everything in one group " + instance + "/"
                + FLAT + ", no reservation, no limits") + "; controllers " + String.join(", ", cgroups.controllers());
    }

    Optional<Cgroup> engine() {
        return cgroups == null ? Optional.empty() : Optional.of(group(instance + "/" + (limits ? "engine" : FLAT)));
    }

    /** The component's own group, with the limits of its spec where the host has the controller. */
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
            g.setCpuQuota(Math.max(1000, Math.round(spec.cpuLimit() * PERIOD_MICROS)), PERIOD_MICROS);
        }
        return Optional.of(g);
    }

    private Cgroup group(String path) {
        Optional<Cgroup> existing = created.stream().filter(c -> c.path().equals(path)).findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        Cgroup g = cgroups.create(path);
        created.add(g);
        return g;
    }

    /** Puts the Sovereign back where it came from, kills whatever is left, deepest groups first, removes the tree. */
    @Override
    public void close() {
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
