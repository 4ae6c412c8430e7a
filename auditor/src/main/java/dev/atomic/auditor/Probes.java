package dev.atomic.auditor;

import dev.atomic.system.Landlock;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The facts about a host that are not files: recorded in probes.properties for fixtures, asked for live.
 * {@code closed} lists files a fixture's user could not open; live, the files themselves are asked.
 */
record Probes(int landlockAbi, boolean root, Set<String> tools, Set<String> closed) {

    /** Where Debian and other distributions keep shared libraries. */
    private static final List<String> LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib");

    private static final Map<String, String> LIBRARIES = Map.of(HostView.LIBSECCOMP, "libseccomp.so.2");

    Probes {
        tools = Set.copyOf(tools);
        closed = Set.copyOf(closed);
    }

    static Probes live() {
        Set<String> tools = new TreeSet<>();
        if (HostView.findOnPath(HostView.BUBBLEWRAP).isPresent()) {
            tools.add(HostView.BUBBLEWRAP);
        }
        LIBRARIES.forEach((tool, file) -> {
            if (LIBRARY_DIRS.stream().anyMatch(dir -> Files.exists(Path.of(dir, file)))) {
                tools.add(tool);
            }
        });
        return new Probes(Landlock.abiVersion(), effectiveUid().orElse(-1) == 0, tools, Set.of());
    }

    /**
     * Reads {@code landlock.abi}, {@code euid}, {@code tools} and {@code closed} (both comma-separated); a missing
     * file means none.
     */
    static Probes load(Path file) {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Probes(Integer.parseInt(p.getProperty("landlock.abi", "0").trim()),
                p.getProperty("euid", "-1").trim().equals("0"), list(p, "tools"), list(p, "closed"));
    }

    private static Set<String> list(Properties p, String key) {
        return Arrays.stream(p.getProperty(key, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /** The second field of the Uid line in /proc/self/status ("Uid: real effective saved fs"). */
    private static Optional<Integer> effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> Integer.parseInt(line.substring(4).trim().split("\\s+")[1]))
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
