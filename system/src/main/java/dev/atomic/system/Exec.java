package dev.atomic.system;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * execve(2): this process becomes another program, keeping its pid, parent, session, terminal and cgroups. The
 * Sovereign uses it to restart itself from the image a release names, so whoever started it (a shell, systemd) sees
 * one process throughout.
 */
public final class Exec {
    private static final MethodHandle EXECVE = Libc.function("execve");

    private Exec() {
    }

    /**
     * Replaces this process with {@code argv[0]} run with {@code argv} and {@code env}. Returns only by throwing, when
     * the kernel refused (the program is missing or not executable); every other thread of the JVM ends with the
     * exec, so flush what must be seen first.
     */
    public static void replace(List<String> argv, Map<String, String> env) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(argv.getFirst());
            MemorySegment args = strings(arena, argv);
            MemorySegment envp = strings(arena, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            Libc.check("execve", Libc.quoted(argv.getFirst()),
                    st -> (int) Words.call(EXECVE, st, path.address(), args.address(), envp.address()));
        }
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
