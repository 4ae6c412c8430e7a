package dev.atomic.sovereign;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to boot.
 *
 * @param instance names the cgroup tree ({@code <instance>/engine}, …) and the lock, so test boots never meet a
 *                 real one
 * @param home     where Atomic keeps logs and state
 * @param runFor   stop by itself after this long (demos, smoke tests); empty = until Ctrl-C or SIGTERM
 * @param carve    apply the reservation and the kernels' limits; false only to measure what carving buys
 * @param release  boot exactly this signed release of the Vault; empty = the instance's current release, made from
 *                 the installation on first boot
 * @param sandbox  run Tier 2 components in bubblewrap sandboxes where the host allows; false only for comparisons
 * @param failover how a dead or stalled Engine is replaced
 */
public record BootOptions(String system, String instance, Path home, Optional<Duration> runFor, boolean carve,
                          Optional<String> release, boolean sandbox, EngineFailover failover) {

    public BootOptions(String system, String instance, Path home, Optional<Duration> runFor) {
        this(system, instance, home, runFor, true);
    }

    public BootOptions(String system, String instance, Path home, Optional<Duration> runFor, boolean carve) {
        this(system, instance, home, runFor, carve, Optional.empty());
    }

    public BootOptions(String system, String instance, Path home, Optional<Duration> runFor, boolean carve,
                       Optional<String> release) {
        this(system, instance, home, runFor, carve, release, true);
    }

    public BootOptions(String system, String instance, Path home, Optional<Duration> runFor, boolean carve,
                       Optional<String> release, boolean sandbox) {
        this(system, instance, home, runFor, carve, release, sandbox, EngineFailover.DEFAULT);
    }

    public BootOptions(String system, String instance, Path home, Optional<Duration> runFor, boolean carve,
                       Optional<String> release, EngineFailover failover) {
        this(system, instance, home, runFor, carve, release, true, failover);
    }

    private static final Pattern INSTANCE = Pattern.compile("[a-z][a-z0-9-]{0,30}");

    public BootOptions {
        if (!INSTANCE.matcher(instance).matches()) {
            throw new IllegalArgumentException("instance name '" + instance
                    + "' must be 1-31 characters of a-z, 0-9 and '-', starting with a letter");
        }
    }

    /** $ATOMIC_HOME, else /var/lib/atomic for root, else ~/.local/share/atomic. */
    public static Path defaultHome() {
        String env = System.getenv("ATOMIC_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/atomic");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "atomic");
    }
}
