package dev.atomic.auditor;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the Auditor learns about a host goes through this view, so that tests can feed it recorded trees.
 * Paths are absolute host paths ({@code /sys/devices/system/cpu/online}).
 */
public interface HostView {

    /** Host tool names understood by {@link #toolPresent}. */
    String BUBBLEWRAP = "bwrap";
    String LIBSECCOMP = "libseccomp";

    /** The real host: files under "/", Landlock asked of the kernel, euid and tools looked up now. */
    static HostView live() {
        return new TreeHost(Path.of("/"), Probes.live());
    }

    /**
     * A recorded host: {@code root/sys/...}, {@code root/proc/...}, device nodes and marker directories as plain
     * files; facts that are not files in {@code root/probes.properties}, including which device nodes the recorded
     * user could not open ({@code closed=/dev/tpmrm0}).
     */
    static HostView fixture(Path root) {
        return new TreeHost(root, Probes.load(root.resolve("probes.properties")));
    }

    /** The file's text, or empty when it is missing or unreadable. */
    Optional<String> read(String absolutePath);

    boolean exists(String absolutePath);

    /** True when this process may open the file for reading and writing (a device node such as /dev/tpmrm0). */
    boolean openable(String absolutePath);

    /** Entry names of a directory, sorted; empty when it is missing. */
    List<String> list(String absoluteDir);

    /** Landlock ABI version, 0 when the kernel offers none. */
    int landlockAbi();

    /** True when Atomic runs with effective uid 0. */
    boolean root();

    /** One of {@link #BUBBLEWRAP}, {@link #LIBSECCOMP}. */
    boolean toolPresent(String tool);

    /** Where {@code $PATH} finds an executable {@code program} (such as {@link #BUBBLEWRAP}), if anywhere. */
    static Optional<Path> findOnPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return java.util.Arrays.stream(path.split(":")).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program)).filter(java.nio.file.Files::isExecutable).findFirst();
    }
}
