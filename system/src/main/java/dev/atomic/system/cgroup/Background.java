package dev.atomic.system.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Work nobody waits for (the Engine training its models, the Sovereign making and checking AOT caches) runs in the
 * instance's background group, at the lowest CPU weight, so that it only takes CPU time the kernels leave idle. A
 * nice level alone would not do: it counts only against the tasks of the same group, so a trainer in the Engine's
 * group would compete at the Engine's weight, sixteen times that of the drivers and apps, for minutes.
 */
public final class Background {
    /** The background group's {@code cgroup.procs} file(s), space-separated; unset or empty where there is none. */
    public static final String ENV = "ATOMIC_BACKGROUND_PROCS";
    /** Joins what it can and runs the command anyway: without the group it still runs, only at its nice level. */
    private static final String JOIN_AND_EXEC = "for f in $" + ENV + "; do echo $$ 2>/dev/null >\"$f\"; done; "
            + "exec \"$@\"";

    private Background() {
    }

    /** {@code command}, started by a shell step that first moves itself into the background group, if there is one. */
    public static List<String> command(List<String> command) {
        List<String> all = new ArrayList<>(List.of("/bin/sh", "-c", JOIN_AND_EXEC, "atomic-background"));
        all.addAll(command);
        return all;
    }

    /** The value of {@link #ENV} for {@code group}. */
    public static String procs(Cgroup group) {
        return group.procsFiles().stream().map(Path::toString).collect(Collectors.joining(" "));
    }

    /** Whether this process's environment names a background group for what it starts. */
    public static boolean available() {
        String procs = System.getenv(ENV);
        return procs != null && !procs.isBlank();
    }
}
