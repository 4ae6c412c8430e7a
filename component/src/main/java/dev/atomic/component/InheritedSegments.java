package dev.atomic.component;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared memory a component inherits as open file descriptors, since it may live in a pid namespace where the
 * Sovereign's {@code /proc/<pid>/fd} does not exist: its lane segment on {@link #LANE_FD}, then each pool and each
 * fast path it is a party to, in the order of the system spec. Written on the component's command line as
 * {@code pool0=4,fast1=5} ({@code -} for none).
 *
 * @param pools     pool id to descriptor
 * @param fastPaths fast path id to descriptor
 */
public record InheritedSegments(Map<Integer, Integer> pools, Map<Integer, Integer> fastPaths) {
    public static final int LANE_FD = 3;
    private static final String NONE = "-";
    private static final Pattern ENTRY = Pattern.compile("(pool|fast)(\\d{1,5})=(\\d{1,5})");

    public InheritedSegments {
        pools = Map.copyOf(pools);
        fastPaths = Map.copyOf(fastPaths);
    }

    /** What {@code component} of {@code system} inherits: the pools it calls through or serves, likewise fast paths. */
    public static InheritedSegments of(SystemSpec system, ComponentSpec component) {
        Map<Integer, Integer> pools = new TreeMap<>();
        Map<Integer, Integer> fast = new TreeMap<>();
        int fd = LANE_FD + 1;
        for (int id = 0; id < system.pools().size(); id++) {
            PoolSpec p = system.pools().get(id);
            if (p.caller().equals(component.id()) || component.provides(p.service())) {
                pools.put(id, fd++);
            }
        }
        for (int id = 0; id < system.fastPaths().size(); id++) {
            FastPathSpec f = system.fastPaths().get(id);
            if (f.caller().equals(component.id()) || component.provides(f.service())) {
                fast.put(id, fd++);
            }
        }
        return new InheritedSegments(pools, fast);
    }

    /** How many descriptors, the lane segment's included. */
    public int count() {
        return 1 + pools.size() + fastPaths.size();
    }

    /** Where this process maps the pool {@code id} from. */
    public Path pool(int id) {
        return self(pools, "pool", id);
    }

    /** Where this process maps the fast path {@code id} from. */
    public Path fastPath(int id) {
        return self(fastPaths, "fast path", id);
    }

    public static Path lane() {
        return descriptor(LANE_FD);
    }

    private static Path self(Map<Integer, Integer> fds, String what, int id) {
        Integer fd = fds.get(id);
        if (fd == null) {
            throw new IllegalStateException(what + " " + id + " was not handed to this component (it has " + fds.keySet()
                    + ")");
        }
        return descriptor(fd);
    }

    private static Path descriptor(int fd) {
        return Path.of("/proc/self/fd", Integer.toString(fd));
    }

    public String format() {
        StringBuilder b = new StringBuilder();
        pools.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> b.append(b.isEmpty() ? "" : ",").append("pool").append(e.getKey()).append('=').append(e.getValue()));
        fastPaths.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> b.append(b.isEmpty() ? "" : ",").append("fast").append(e.getKey()).append('=').append(e.getValue()));
        return b.isEmpty() ? NONE : b.toString();
    }

    public static InheritedSegments parse(String text) {
        Map<Integer, Integer> pools = new TreeMap<>();
        Map<Integer, Integer> fast = new TreeMap<>();
        if (!text.equals(NONE)) {
            for (String entry : text.split(",")) {
                Matcher m = ENTRY.matcher(entry);
                if (!m.matches()) {
                    throw new IllegalArgumentException("'" + entry + "' is not poolN=FD or fastN=FD (in '" + text + "')");
                }
                (m.group(1).equals("pool") ? pools : fast).put(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            }
        }
        return new InheritedSegments(pools, fast);
    }
}
