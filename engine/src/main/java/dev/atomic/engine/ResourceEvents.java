package dev.atomic.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel's own count of a component hitting its cgroup limits, read from the group it runs in: how often a fork
 * or a thread was refused at its pids limit ({@code pids.events}, {@code max}, on v1 and v2) and how often the OOM
 * killer killed in it at its memory limit ({@code memory.events} on v2, {@code memory.oom_control} on v1, both
 * {@code oom_kill}). Polled: a refused fork kills nothing, so nothing else would tell.
 */
final class ResourceEvents {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    /** One incarnation's files and the counts last seen. */
    private static final class Watched {
        final long pid;
        final Optional<Path> pidsEvents;
        final Optional<Path> oomEvents;
        long pidsMax;
        long oomKills;
        /**
         * The incarnation this one replaced, and the OOM kills it left unread: its death's report may be filed after
         * its successor is watched (a restart goes first), and the kill that ended it is counted in the same group.
         */
        long predecessorPid;
        long predecessorKills;

        Watched(long pid, Optional<Path> pidsEvents, Optional<Path> oomEvents) {
            this.pid = pid;
            this.pidsEvents = pidsEvents;
            this.oomEvents = oomEvents;
            this.pidsMax = pidsEvents.map(p -> count(p, "max")).orElse(0L);
            this.oomKills = oomEvents.map(p -> count(p, "oom_kill")).orElse(0L);
        }
    }

    private final Map<Integer, Watched> bySlot = new HashMap<>();
    private final Map<Integer, java.nio.file.FileStore> stores = new HashMap<>();
    private final java.util.Set<Integer> full = new java.util.HashSet<>();

    /**
     * Whether a component's state file system has just become full (under 1 % left; once, until it has 5 % again):
     * a full disk kills nothing, so nothing else would tell. Its {@code [sandbox] state-size} bounds it when the
     * Sovereign could give it a file system of its own; else this is the disk it shares.
     */
    boolean becameFull(Member m, Path stateDir) {
        java.nio.file.FileStore store = stores.get(m.slot);
        try {
            if (store == null) {
                if (!Files.isDirectory(stateDir)) {
                    return false;
                }
                store = Files.getFileStore(stateDir);
                stores.put(m.slot, store);
            }
            long total = store.getTotalSpace();
            long usable = store.getUsableSpace();
            if (usable * 100 < total) {
                return full.add(m.slot);
            }
            if (usable * 20 >= total) {
                full.remove(m.slot);
            }
        } catch (IOException e) {
            stores.remove(m.slot); // unmounted: looked up again next time
        }
        return false;
    }

    /** The state file system's size and what is left of it, as last read. */
    long[] space(Member m) {
        java.nio.file.FileStore store = stores.get(m.slot);
        try {
            return store == null ? new long[]{0, 0} : new long[]{store.getTotalSpace(), store.getUsableSpace()};
        } catch (IOException e) {
            return new long[]{0, 0};
        }
    }

    /**
     * Reads the pids count of a running component; the number of forks refused at its limit since the last read, 0
     * when none. A new incarnation is looked up first (its counts so far are its baseline).
     */
    long refusedForks(Member m) {
        Watched w = watched(m);
        if (w == null || w.pidsEvents.isEmpty()) {
            return 0;
        }
        long now = count(w.pidsEvents.get(), "max");
        long refused = now - w.pidsMax;
        w.pidsMax = now;
        return Math.max(0, refused);
    }

    /** After a death: how many OOM kills its group saw since the last read (0: it did not die of its memory limit). */
    long oomKills(Member m, long pid) {
        Watched w = bySlot.get(m.slot);
        if (w == null || w.oomEvents.isEmpty()) {
            return 0;
        }
        if (w.pid != pid) {
            long kills = w.predecessorPid == pid ? w.predecessorKills : 0;
            w.predecessorKills = 0;
            return kills;
        }
        long now = count(w.oomEvents.get(), "oom_kill");
        long kills = now - w.oomKills;
        w.oomKills = now;
        return Math.max(0, kills);
    }

    /** Which file counts what, for the report. */
    String files(Member m) {
        Watched w = bySlot.get(m.slot);
        return w == null ? "" : w.pidsEvents.map(Path::toString).orElse("") + " "
                + w.oomEvents.map(Path::toString).orElse("");
    }

    private Watched watched(Member m) {
        if (m.pid <= 0) {
            return null;
        }
        Watched w = bySlot.get(m.slot);
        if (w == null || w.pid != m.pid) {
            List<String> groups;
            try {
                groups = Files.readAllLines(Path.of("/proc", Long.toString(m.pid), "cgroup"));
            } catch (IOException e) {
                return null; // gone already
            }
            Watched was = w;
            w = new Watched(m.pid, file(groups, "pids", "pids.events"),
                    file(groups, "memory", "memory.events").or(() -> file(groups, "memory", "memory.oom_control")));
            if (was != null && was.oomEvents.equals(w.oomEvents)) {
                w.predecessorPid = was.pid;
                w.predecessorKills = Math.max(0, w.oomKills - was.oomKills);
            }
            bySlot.put(m.slot, w);
        }
        return w;
    }

    /**
     * The file of {@code controller} for a process whose {@code /proc/<pid>/cgroup} reads {@code groups}: in the v1
     * hierarchy that has the controller, else in the v2 one.
     */
    static Optional<Path> file(List<String> groups, String controller, String name) {
        for (String line : groups) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
                return existing(ROOT.resolve(f[1]).resolve(relative(f[2])).resolve(name));
            }
        }
        for (String line : groups) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && f[0].equals("0") && f[1].isEmpty()) {
                Path v2 = Files.exists(ROOT.resolve("cgroup.controllers")) ? ROOT : ROOT.resolve("unified");
                return existing(v2.resolve(relative(f[2])).resolve(name));
            }
        }
        return Optional.empty();
    }

    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static Optional<Path> existing(Path p) {
        return Files.isReadable(p) ? Optional.of(p) : Optional.empty();
    }

    /** The value of the line {@code key N} of a flat-keyed cgroup file; 0 when it cannot be read. */
    static long count(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key + " ")) {
                    return Long.parseLong(line.substring(key.length() + 1).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone with its group
        }
        return 0;
    }
}
