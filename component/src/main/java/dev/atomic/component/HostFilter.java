package dev.atomic.component;

import dev.atomic.bridge.LaneSegment;
import dev.atomic.system.Descriptors;
import dev.atomic.system.SeccompProgram;
import dev.atomic.system.seccomp.ComponentPolicy;
import dev.atomic.system.seccomp.Filter;
import dev.atomic.system.seccomp.Seccomp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The component host's part of the seccomp policy (docs/seccomp.md): before any component code, it loads
 * {@link ComponentPolicy#filter} into itself (as the Sovereign compiled it, where it did for this host's pid) and publishes the listener in its lane segment for the Engine to take;
 * once the Engine has, it closes its own copy, since a process holding its own listener could answer its own trapped
 * calls. Asked to (the sandbox installed the first layer, which traps attacks for this listener) and unable, it
 * stops: a component is never started with its attacks unreported.
 */
final class HostFilter {
    private HostFilter() {
    }

    /** Whether the Sovereign asked for it: the first layer is in force. */
    static boolean required() {
        return "required".equals(System.getenv(ComponentPolicy.HOST_FILTER_ENV));
    }

    /**
     * Loads the filter; the listener's descriptor, or -1 when not asked to. Throws, saying why, when asked to and it
     * cannot. A warm spare loads it before it waits, and publishes it once it is the component.
     */
    static int install(boolean network) {
        if (!required()) {
            return -1;
        }
        Optional<Path> compiled = compiledFor(ProcessHandle.current().pid(), System.getenv());
        if (compiled.isPresent()) {
            try {
                return SeccompProgram.loadWithListener(Files.readAllBytes(compiled.get()));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("its seccomp filter (" + compiled.get() + ") could not be loaded: "
                        + e.getMessage(), e);
            }
        }
        Optional<String> unavailable = Seccomp.unavailable();
        if (unavailable.isPresent()) {
            throw new IllegalStateException("its seccomp filter cannot be loaded: " + unavailable.get());
        }
        int listener;
        try (Filter filter = ComponentPolicy.filter(ProcessHandle.current().pid(), network)) {
            listener = filter.load().orElseThrow(() -> new IllegalStateException("its seccomp filter gave no listener"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("its seccomp filter could not be loaded: " + e.getMessage(), e);
        }
        return listener;
    }

    /**
     * The filter the Sovereign compiled for a host of this pid, if it did (the same for every host in a sandbox):
     * loading it spares this JVM libseccomp and the filter's construction, most of this step's time.
     */
    static Optional<Path> compiledFor(long pid, java.util.Map<String, String> env) {
        String program = env.get(ComponentPolicy.HOST_PROGRAM_ENV);
        String forPid = env.get(ComponentPolicy.HOST_PROGRAM_PID_ENV);
        return program != null && Long.toString(pid).equals(forPid) ? Optional.of(Path.of(program)) : Optional.empty();
    }

    /** Publishes the listener in the lane segment for the Engine to take (before HELLO). */
    static void publish(LaneSegment segment, int listener) {
        if (listener >= 0) {
            segment.publishSeccompListener(listener);
        }
    }

    /**
     * After WELCOME, by which the Engine took its copy or never will: closes this process's own. Not taken, the
     * trapped calls fail with ENOSYS from now on (failing closed), which the log says.
     */
    static void handOver(LaneSegment segment, int listener, PrintStream log) {
        if (listener < 0) {
            return;
        }
        if (segment.seccompListener() != LaneSegment.LISTENER_TAKEN) {
            log.println("the Engine did not take this component's seccomp listener: its trapped calls will fail with "
                    + "ENOSYS, unreported");
        }
        Descriptors.close(listener);
    }
}
