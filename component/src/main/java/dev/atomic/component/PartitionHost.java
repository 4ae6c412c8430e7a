package dev.atomic.component;

import dev.atomic.bridge.LaneSegment;
import dev.atomic.system.Prctl;
import dev.atomic.system.Proc;
import dev.atomic.system.SharedMemory;
import dev.atomic.system.Signals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The process a kernel's Tier 1 components run in ({@link Partition}). Started by the Sovereign as
 * {@code PartitionHost <system> <kernel> <parent-pid>} with the lane segments of the kernel's Tier 1 components
 * inherited on descriptors 3, 4, … in slot order; it loads a component when the Sovereign writes its slot and its
 * image's class-path entries on a line of its standard input. Each component gets its own {@link ComponentLayer}
 * (a module layer and class loader) and its own embedded {@link ComponentHost} (its lane segment, its HELLO), on a
 * lane thread of its own.
 * <p>
 * A component fails when its init or start throws, its lane thread dies, or a thread it started dies of an uncaught
 * exception (its threads inherit its class loader as their context loader, which names it): it alone is unloaded
 * (its threads told to stop, its loader dropped) and the Engine is told with an UNLOADED frame on its lane; the
 * process and the neighbours go on, and the Engine starts it again here or, demoted, in a process of its own.
 */
public final class PartitionHost {
    /** Set by the Sovereign: where each component's own log ({@code <id>.log}) is. */
    public static final String LOG_DIR_ENV = "ATOMIC_LOG_DIR";

    private record Loaded(ComponentHost host, ComponentLayer layer, java.io.PrintStream log, String[] failure) {
        ClassLoader loader() {
            return layer.loader();
        }
    }

    private final SystemSpec system;
    private final Map<Integer, LaneSegment> segments = new ConcurrentHashMap<>();
    private final Map<ClassLoader, Integer> slotOf = new ConcurrentHashMap<>();
    private final Map<Integer, Loaded> loaded = new ConcurrentHashMap<>();
    /** The order that contains a loaded component; any other line loads one. */
    private static final String UNLOAD = "unload ";
    /** How long a contained component's threads have to end once interrupted. */
    private static final long STRAGGLER_MILLIS = 5000;

    private PartitionHost(SystemSpec system, Kernel kernel) {
        this.system = system;
        List<Integer> slots = Partition.slots(system, kernel);
        for (int i = 0; i < slots.size(); i++) {
            segments.put(slots.get(i), LaneSegment.attach(SharedMemory.open(
                    Path.of("/proc/self/fd", Integer.toString(InheritedSegments.LANE_FD + i)))));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: PartitionHost <system> <kernel> <parent-pid>");
            System.exit(2);
        }
        Prctl.setParentDeathSignal(Signals.SIGKILL);
        if (Proc.parentPid() != Long.parseLong(args[2])) {
            System.err.println("the parent (pid " + args[2] + ") is gone; exiting");
            System.exit(3);
        }
        SystemSpec system = SystemSpec.load(args[0]);
        Kernel kernel = Stream.of(Kernel.values()).filter(k -> k.word().equals(args[1])).findFirst().orElseThrow();
        PartitionHost partition = new PartitionHost(system, kernel);
        Thread.setDefaultUncaughtExceptionHandler(partition::uncaught);
        BufferedReader orders = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = orders.readLine()) != null; ) {
            if (line.startsWith(UNLOAD)) {
                partition.contain(Integer.parseInt(line.substring(UNLOAD.length()).trim()));
            } else {
                String[] order = line.split("\t");
                partition.load(Integer.parseInt(order[0].trim()), Stream.of(order).skip(1).map(Path::of).toList());
            }
        }
        Runtime.getRuntime().halt(0); // the Sovereign closed our orders: it is gone or stopping us
    }

    private void load(int slot, List<Path> image) {
        LaneSegment segment = segments.get(slot);
        if (segment == null || loaded.containsKey(slot)) {
            System.out.println("refused to load slot " + slot + ": " + (segment == null ? "not a Tier 1 component "
                    + "of this partition" : "already loaded"));
            return;
        }
        ComponentSpec spec = system.components().get(slot);
        java.io.PrintStream log;
        try {
            log = new java.io.PrintStream(new java.io.FileOutputStream(Path.of(System.getenv(LOG_DIR_ENV),
                    spec.id() + ".log").toFile(), true), true, StandardCharsets.UTF_8);
        } catch (java.io.IOException | RuntimeException e) {
            System.out.println("refused to load " + spec.id() + ": its log cannot be opened (" + e + ")");
            return;
        }
        ComponentLayer layer;
        try {
            layer = ComponentLayer.of(spec.id(), image, PartitionHost.class.getClassLoader());
        } catch (java.io.IOException e) {
            // A failed start to the Engine, which in time demotes it to a process of its own, on its class path.
            String why = "it cannot be loaded in its partition host: " + e.getMessage();
            System.out.println(spec.id() + ": failed, not loaded: " + why);
            log.println(spec.id() + ": failed, not loaded: " + why);
            Thread.ofPlatform().name(spec.id() + "-refused").start(() -> {
                ComponentHost.embedded(spec.id(), segment, system, log, null).unloaded(1, why);
                log.close();
            });
            return;
        }
        String[] failure = new String[1];
        Loaded[] self = new Loaded[1];
        Loaded l = new Loaded(ComponentHost.embedded(spec.id(), segment, system, log, why -> fail(self[0],
                "it exited: " + why)), layer, log, failure);
        self[0] = l;
        ClassLoader loader = layer.loader();
        slotOf.put(loader, slot);
        loaded.put(slot, l);
        Thread.ofPlatform().name(spec.id() + "-lane").start(() -> {
            Thread.currentThread().setContextClassLoader(loader);
            try {
                Class<?> main = Class.forName(spec.mainClass(), true, loader);
                l.host().runEmbedded((Component) main.getDeclaredConstructor().newInstance());
            } catch (Throwable e) {
                fail(l, "its lane thread died: " + describe(e));
            }
            unload(slot, l);
        });
    }

    /**
     * The Engine contains a component while it runs (a hang, a storm, a leak): it fails, its lane thread leaves and
     * the Engine is told, its threads are interrupted. One of them still running after {@link #STRAGGLER_MILLIS}
     * (spinning, deaf to interrupts) cannot be taken out of a shared process: the host ends, and its neighbours are
     * restarted with it. A thread left blocked is only named.
     */
    private void contain(int slot) {
        Loaded l = loaded.get(slot);
        if (l == null) {
            return; // unloaded already (it failed meanwhile), or never loaded here
        }
        String id = system.components().get(slot).id();
        fail(l, "contained by the Engine while it ran");
        List<Thread> own = threadsOf(l.loader());
        own.forEach(Thread::interrupt);
        Thread.ofPlatform().daemon().name(id + "-contain").start(() -> {
            // Interrupted, a thread still needs the CPU to see it: on a loaded host that can take a while.
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(STRAGGLER_MILLIS);
            while (own.stream().anyMatch(Thread::isAlive) && System.nanoTime() < end) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            List<Thread> left = own.stream().filter(Thread::isAlive).toList();
            if (left.stream().anyMatch(t -> t.getState() == Thread.State.RUNNABLE)) {
                System.out.println("partition host: " + id + "'s thread(s) " + left.stream().map(Thread::getName)
                        .toList() + " still run after it was contained: ending the partition host");
                System.out.flush();
                Runtime.getRuntime().halt(71);
            }
            if (!left.isEmpty()) {
                System.out.println("partition host: " + id + "'s thread(s) " + left.stream().map(Thread::getName)
                        .toList() + " stay blocked after it was contained, holding its class loader");
            }
        });
    }

    private static List<Thread> threadsOf(ClassLoader loader) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getContextClassLoader() == loader).toList();
    }

    /** A thread of a component's died: that component failed. Any other thread's death is the partition's own. */
    private void uncaught(Thread t, Throwable e) {
        Integer slot = slotOf.get(t.getContextClassLoader());
        Loaded l = slot == null ? null : loaded.get(slot);
        if (l == null) {
            System.err.println("partition host: thread " + t.getName() + " died: " + describe(e));
            e.printStackTrace();
            Runtime.getRuntime().halt(70);
            return;
        }
        fail(l, "its thread '" + t.getName() + "' died: " + describe(e));
    }

    private static void fail(Loaded l, String why) {
        synchronized (l.failure()) {
            if (l.failure()[0] == null) {
                l.failure()[0] = why;
            }
        }
        l.host().abandon();
    }

    /** After its lane thread left: the Engine is told, and nothing of it is reachable from the partition any more. */
    private void unload(int slot, Loaded l) {
        String failure;
        synchronized (l.failure()) {
            failure = l.failure()[0];
        }
        String id = system.components().get(slot).id();
        String said = id + (failure == null ? ": unloaded (stopped)" : ": failed, unloaded: " + failure);
        System.out.println(said);
        System.out.flush();
        l.log().println(said);
        l.log().close();
        slotOf.remove(l.loader());
        loaded.remove(slot);
        l.layer().close();
        l.host().unloaded(failure == null ? 0 : 1, failure == null ? "stopped" : failure);
    }

    private static String describe(Throwable e) {
        Throwable root = e instanceof java.lang.reflect.InvocationTargetException i && i.getCause() != null
                ? i.getCause() : e;
        return root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
