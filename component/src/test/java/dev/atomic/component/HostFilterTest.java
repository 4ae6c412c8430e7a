package dev.atomic.component;

import dev.atomic.system.seccomp.ComponentPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which filter a host loads: the Sovereign's program only when it was compiled for the host's own pid. */
class HostFilterTest {
    private static final Map<String, String> COMPILED_FOR_1 = Map.of(ComponentPolicy.HOST_PROGRAM_ENV,
            "/home/run/seccomp-host.bpf", ComponentPolicy.HOST_PROGRAM_PID_ENV, "1");

    @Test
    void aHostWithThePidTheProgramNamesLoadsIt() {
        assertEquals(Optional.of(Path.of("/home/run/seccomp-host.bpf")), HostFilter.compiledFor(1, COMPILED_FOR_1));
    }

    @Test
    void aHostWithAnotherPidBuildsItsOwnFilter() {
        // Its signal rules would name pid 1, not this host: a signal to itself trapped, one to pid 1 let through.
        assertEquals(Optional.empty(), HostFilter.compiledFor(4242, COMPILED_FOR_1));
        assertEquals(Optional.empty(), HostFilter.compiledFor(1, Map.of(ComponentPolicy.HOST_PROGRAM_ENV,
                "/home/run/seccomp-host.bpf")));
        assertEquals(Optional.empty(), HostFilter.compiledFor(1, Map.of()));
    }
}
