package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.system.cgroup.Cgroup;
import dev.atomic.system.cgroup.CgroupException;
import dev.atomic.system.cgroup.Cgroups;
import dev.atomic.system.cgroup.CgroupsUnavailable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Sovereign's cgroup tree: {@code <instance>/engine}, {@code <instance>/services/<id>},
 * {@code <instance>/dak/<id>}. Where the host gives no usable cgroups, Atomic runs unconfined and says why.
 */
final class Carving implements AutoCloseable {
    private final String instance;
    private final Cgroups cgroups;
    private final String unavailable;
    private final List<Cgroup> created = new ArrayList<>();

    private Carving(String instance, Cgroups cgroups, String unavailable) {
        this.instance = instance;
        this.cgroups = cgroups;
        this.unavailable = unavailable;
    }

    static Carving create(String instance) {
        Cgroups cgroups;
        try {
            cgroups = Cgroups.detect();
        } catch (CgroupsUnavailable e) {
            return new Carving(instance, null, e.getMessage());
        }
        Carving carving = new Carving(instance, cgroups, null);
        // A tree left by a boot that was killed: nothing can be running in it (the instance lock is ours).
        cgroups.find(instance).ifPresent(stale -> {
            stale.killAll();
            stale.remove();
        });
        try {
            carving.group(instance);
            carving.group(instance + "/engine");
            carving.group(instance + "/services");
            carving.group(instance + "/dak");
        } catch (CgroupException e) {
            carving.close();
            return new Carving(instance, null, e.getMessage());
        }
        return carving;
    }

    boolean available() {
        return cgroups != null;
    }

    String describe() {
        if (cgroups == null) {
            return "no cgroups (" + unavailable + "): components run unconfined";
        }
        return "cgroup " + cgroups.version() + ": " + instance + "/{engine,services,dak} created; controllers "
                + String.join(", ", cgroups.controllers());
    }

    Optional<Cgroup> engine() {
        return cgroups == null ? Optional.empty() : Optional.of(group(instance + "/engine"));
    }

    /** The component's own group, with the limits of its spec where the host has the controller. */
    Optional<Cgroup> component(ComponentSpec spec) {
        if (cgroups == null) {
            return Optional.empty();
        }
        Cgroup g = group(instance + "/" + spec.kernel().word() + "/" + spec.id());
        Set<String> controllers = cgroups.controllers();
        if (controllers.contains("memory")) {
            g.setMemoryMax(spec.memoryMaxBytes());
        }
        if (controllers.contains("pids")) {
            g.setPidsMax(spec.pidsMax());
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

    /** Kills whatever is left, deepest groups first, and removes the tree. */
    @Override
    public void close() {
        if (cgroups == null || created.isEmpty()) {
            return;
        }
        for (Cgroup g : created.reversed()) {
            g.killAll();
        }
        created.getFirst().remove();
        created.clear();
    }

    int groups() {
        return created.size();
    }
}
