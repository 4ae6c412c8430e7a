package dev.atomic.sovereign;

import dev.atomic.component.ComponentSpec;
import dev.atomic.component.Kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Sovereign's side of Tier 1: one partition host process per kernel, started when the first of its Tier 1
 * components is, told which component to load by a line on its standard input; and the components demoted to
 * Tier 2, which from then on start in processes of their own. A component whose Tier 1 is earned
 * ({@link ComponentSpec#tierEarned}) starts in a process of its own until policy 5 moves it in (a lifting).
 */
final class Partitions {
    /** What starts a kernel's partition host (its cgroup, its inherited lane segments, its log). */
    interface Launch {
        Process partition(Kernel kernel) throws IOException;
    }

    private final Launch launch;
    private final Map<Kernel, Process> hosts = new EnumMap<>(Kernel.class);
    private final Set<Integer> demoted = ConcurrentHashMap.newKeySet();
    /** Components whose Tier 1 is earned and that policy 5 moved into their partition host. */
    private final Set<Integer> promoted = ConcurrentHashMap.newKeySet();

    Partitions(Launch launch) {
        this.launch = launch;
    }

    /** Whether the component of {@code slot} runs in its kernel's partition host: Tier 1 and not demoted. */
    boolean partitioned(int slot, ComponentSpec spec) {
        return spec.tier() == 1 && !demoted.contains(slot) && (!spec.tierEarned() || promoted.contains(slot));
    }

    /**
     * From now on the component of {@code slot} runs in a process of its own; if its kernel's partition host has it
     * loaded (the Engine contains it while it runs), the host unloads it.
     */
    void demote(int slot, Kernel kernel) throws IOException {
        demoted.add(slot);
        promoted.remove(slot);
        Process host;
        synchronized (this) {
            host = hosts.get(kernel);
        }
        if (host != null && running(host)) {
            order(host, "unload " + slot);
        }
    }

    /** From its next start on it runs in a process of its own; nothing is unloaded now (the Engine restarts it). */
    void demoteAtNextStart(int slot) {
        demoted.add(slot);
        promoted.remove(slot);
    }

    /**
     * A policy's demotion lifted, or an earned Tier 1 granted: from its next start it runs in its kernel's partition
     * host, if Tier 1.
     */
    void lift(int slot) {
        demoted.remove(slot);
        promoted.add(slot);
    }

    /** The tier it runs at now, as {@code atomic status} says it. */
    String tier(int slot, ComponentSpec spec) {
        return spec.tier() != 1 || partitioned(slot, spec) ? "tier " + spec.tier()
                : demoted.contains(slot) ? "tier 2 (demoted from tier 1)" : "tier 2 (earning tier 1)";
    }

    /** The spec it is started by: a Tier 1 component out of its partition host says Tier 2, so it is sandboxed. */
    ComponentSpec effective(int slot, ComponentSpec spec) {
        return spec.tier() == 1 && !partitioned(slot, spec) ? spec.withTier(2) : spec;
    }

    /** {@code kernel}'s partition host, started first if it is not running. */
    synchronized Process host(Kernel kernel) throws IOException {
        Process host = hosts.get(kernel);
        if (host == null || !running(host)) {
            host = launch.partition(kernel);
            hosts.put(kernel, host);
        }
        return host;
    }

    /**
     * Alive and not a zombie: the Engine learns of a death from its pidfd, and restarts, before Java has reaped the
     * process, when {@link Process#isAlive} still says true.
     */
    private static boolean running(Process host) {
        if (!host.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(host.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // gone meanwhile
        }
    }

    /** Has {@code host} load the component of {@code slot}: after the Engine was told its pid, which its HELLO says. */
    /** Loads the component of {@code slot} from {@code image}, its class-path entries: its module layer's. */
    static void load(Process host, int slot, List<Path> image) throws IOException {
        StringBuilder line = new StringBuilder(Integer.toString(slot));
        for (Path entry : image) {
            if (entry.toString().indexOf('\t') >= 0 || entry.toString().indexOf('\n') >= 0) {
                throw new IOException("its image's path " + entry + " holds a tab or a line break");
            }
            line.append('\t').append(entry);
        }
        order(host, line.toString());
    }

    /**
     * One line on the host's standard input: {@code <slot>} then its image's entries, tab-separated, loads;
     * {@code unload <slot>} unloads.
     */
    private static void order(Process host, String line) throws IOException {
        OutputStream orders = host.getOutputStream();
        synchronized (orders) {
            orders.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            orders.flush();
        }
    }
}
