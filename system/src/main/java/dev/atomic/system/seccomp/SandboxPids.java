package dev.atomic.system.seccomp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One sandbox as the processes under the one the Sovereign started (bubblewrap, or the component's JVM): that
 * process and its descendants, with all their threads. A signal's target, a pid or thread id as the caller sees it,
 * lies inside when one of those threads has that id in the caller's pid namespace (the last entry of {@code NSpid}
 * in {@code /proc/<tid>/status}, at the caller's depth), so the same check holds with and without a pid namespace.
 * <p>
 * Everything is read from {@code /proc} by pid, and a pid can be reused once its process is reaped. So after
 * reading, the trapped call's notification must still be valid: then the caller was alive and waiting throughout,
 * its pid named it, and a target found among its sandbox's live threads was real at the time.
 */
public final class SandboxPids implements ComponentPolicy.Sandbox {
    private final long root;
    private final Notifications listener;

    /** @param root the sandbox's top process, by its pid in this process's namespace */
    public SandboxPids(long root, Notifications listener) {
        this.root = root;
        this.listener = listener;
    }

    @Override
    public boolean holds(Notification caller, long target) {
        List<Long> callerIds = nsPids(Path.of("/proc", Integer.toString(caller.pid())));
        if (callerIds.isEmpty()) {
            return false; // gone, or outside this process's pid namespace (pid 0)
        }
        boolean inside = processes().anyMatch(pid -> threads(pid).stream().map(SandboxPids::nsPids)
                .anyMatch(ids -> ids.size() == callerIds.size() && ids.getLast() == target));
        return inside && listener.isValid(caller.id());
    }

    private Stream<Long> processes() {
        return ProcessHandle.of(root).stream()
                .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
                .map(ProcessHandle::pid);
    }

    private static List<Path> threads(long pid) {
        List<Path> tasks = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            dir.forEach(tasks::add);
        } catch (IOException e) {
            // the process ended while it was being looked at: none of its threads can be the target
        }
        return tasks;
    }

    /** The ids of a thread in each pid namespace it is in, outermost first; empty once it is gone. */
    static List<Long> nsPids(Path procEntry) {
        try {
            for (String line : Files.readAllLines(procEntry.resolve("status"))) {
                if (line.startsWith("NSpid:")) {
                    return Stream.of(line.substring("NSpid:".length()).strip().split("\\s+")).map(Long::parseLong).toList();
                }
            }
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
