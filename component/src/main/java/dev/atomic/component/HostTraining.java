package dev.atomic.component;

/**
 * The training run of the component hosts' AOT cache (JEP 483, 514, 515), started by the Sovereign as
 * {@code HostTraining <component-class> <system>} with the host's class path and JVM flags: it does what a host does
 * before it is a component — reads its system, loads the component's class (not initialised: no component code
 * runs), warms up and rehearses the component's start as a spare does ({@link SpareRehearsal}) — so the cache holds
 * those classes, linked, and their profiles. Exits 0. Run again against the cache with {@code -XX:AOTMode=on}, it
 * says whether the JVM accepts the cache.
 */
public final class HostTraining {
    private HostTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: HostTraining <component-class> <system>");
            System.exit(2);
        }
        ClassLoader loader = HostTraining.class.getClassLoader();
        Class.forName(ComponentHost.class.getName(), true, loader);
        SystemSpec system = SystemSpec.load(args[1]);
        Class.forName(args[0], false, loader);
        InheritedSegments.parse("-");
        String id = system.components().stream().filter(c -> c.image().kind() == Image.Kind.JAVA && c.mainClass().equals(args[0])).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component of " + args[1] + " runs " + args[0]))
                .id();
        SpareWait.warmUp(system, id, SpareRehearsal.TRAINING_ROUNDS);
    }
}
