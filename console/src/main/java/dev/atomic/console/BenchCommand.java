package dev.atomic.console;

import dev.atomic.bench.BootBench;
import dev.atomic.bench.BridgeBench;
import dev.atomic.bench.CarvingBench;
import dev.atomic.bench.FailoverBench;
import dev.atomic.bench.FuseBench;
import dev.atomic.bench.IdleBench;
import dev.atomic.bench.PolicyBench;
import dev.atomic.bench.PolicyLiveBench;
import dev.atomic.bench.RecoveryBench;
import dev.atomic.bench.StormBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
                "Benchmarks with side-by-side baselines in the same run.",
                "",
                "Each writes a results file, bench/results/<name>.json: the machine, the profile, every figure, "
                        + "and for each target whether it was met, or by how much it was missed."},
        subcommands = {BenchCommand.Bridge.class, BenchCommand.Carving.class, BenchCommand.Failover.class,
                BenchCommand.Idle.class, BenchCommand.Policy.class, BenchCommand.Recovery.class, BenchCommand.Storm.class,
                BenchCommand.Fuse.class, BenchCommand.Boot.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    @Command(name = "bridge", mixinStandardHelpOptions = true,
            description = {
                    "Request/reply between two processes over each bridge path.",
                    "",
                    "Paths, side by side in one run, each end its own JVM:",
                    "  (a) brokered through the Engine   a real boot: ping and pong components",
                    "  (b) fast path                     the same, over a fast path the Engine opened",
                    "  (c) bare shared-memory ring       the floor: spin 200 polls, then",
                    "                                    sleep on the futex doorbell",
                    "      and both ends spinning        for information",
                    "  (d) Unix domain socket",
                    "  (e) TCP loopback                  TCP_NODELAY",
                    "",
                    "Measured: p50, p99, p99.9 round trip (us) and throughput (msg/s), for 64 B messages and "
                            + "64 KiB transfers (copying, and zero-copy through a pool for (a)); for 64 B also "
                            + "pipelined throughput, 32 in flight; and a critical call's latency through the Engine "
                            + "with and without a bulk flood. The client times every round trip in its own process, "
                            + "after a warm-up.",
                    "",
                    "Takes about 4 minutes (3 interleaved rounds); --quick about 30 s. Other load on the machine "
                            + "shows in the tails.",
                    "",
                    "Exit status 1 when a path failed to run (its figures say why). A missed target is a result, "
                            + "not a failure."})
    static final class Bridge implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run of about 30 s: one round, fewer samples.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/bridge.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return BridgeBench.run(quick, out != null ? out : BridgeBench.defaultOutput(), System.out);
        }
    }

    @Command(name = "carving", mixinStandardHelpOptions = true,
            description = {
                    "The management plane's latency while the Drivers & Apps kernel misbehaves, with carving on and "
                            + "off.",
                    "",
                    "Boots the system bench-carving in a real Atomic with carving and without it (as "
                            + "'atomic boot --no-carving' does: the cgroup tree, no reservation or limits), "
                            + "alternating, each boot fresh. In the Drivers & Apps kernel, "
                            + "'hog' spins one thread per CPU and 'leaker' allocates memory in 8 MiB steps until its "
                            + "256 MiB limit has it killed (the Engine restarts it) or, with carving off, until its "
                            + "own 1 GiB cap. Meanwhile 'prober', in the Services kernel, calls 'probe' through the "
                            + "Engine every 10 ms and times each round trip: p50, p99, p99.9 and max, side by side.",
                    "",
                    "Targets: probe p99 with carving on at most 100 ms, and at least 10x better than with carving "
                            + "off. The CLI status probe is listed but not measured yet (no status command).",
                    "",
                    "Takes about 1.5 minutes (2 boots per setting, each 5 s warm-up + 15 s measured); --quick "
                            + "about 30 s. Needs root and cgroups for carving to mean anything; other load on the "
                            + "machine shows in the tails.",
                    "",
                    "Writes bench/results/carving.json in this checkout (or --out). Exit status 1 when a setting "
                            + "failed to run (its figures say why). A missed target is a result, not a failure."})
    static final class Carving implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run of about 30 s: one boot per setting, 5 s measured.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/carving.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return CarvingBench.run(quick, out != null ? out : CarvingBench.defaultOutput(), System.out);
        }
    }

    @Command(name = "failover", mixinStandardHelpOptions = true,
            description = {
                    "Engine failover under steady traffic: a warm standby Engine against a cold restart.",
                    "",
                    "Boots the system bench-failover in a real Atomic, where 'caller' calls 'responder' through the "
                            + "Engine back to back from several threads, every call numbered; kills the active Engine "
                            + "with SIGKILL again and again (with a standby: each time once the new standby is warm); "
                            + "then does the same with no standby (--no-standby: a cold Engine each time), side by "
                            + "side in one run.",
                    "",
                    "Measured: failover, from the old Engine's last heartbeat to the first message the new one "
                            + "routed, p50 and max, with where the time went; and lost committed messages: calls "
                            + "that ended with neither their reply nor a clean failure, and replies the responder "
                            + "committed that never reached the caller.",
                    "",
                    "Targets (issue 4): with the warm standby, p50 under 20 ms, max under 100 ms, no message lost.",
                    "",
                    "Takes about 3 minutes (50 kills with a standby, 10 without); --quick about 40 s.",
                    "",
                    "Writes bench/results/failover.json in this checkout (or --out). Exit status 1 when a setting "
                            + "failed to run (its figures say why). A missed target is a result, not a failure."})
    static final class Failover implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run: 5 kills with a standby, 2 without.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/failover.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return FailoverBench.run(quick, out != null ? out : FailoverBench.defaultOutput(), System.out);
        }
    }

    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = {
                    "What idle services cost: on demand (frozen when idle) against always running.",
                    "",
                    "Boots the system bench-idle-on-demand, where 20 'sleeper' services start on demand: each is "
                            + "called once, then left until the cgroup freezer says all are frozen, and their CPU "
                            + "time is read across the window; meanwhile the first request to a frozen service, to a "
                            + "stopped one and to one always running is timed, in turn. Then boots bench-idle-always, "
                            + "the same sleepers running from boot, and reads their CPU time across the same window.",
                    "",
                    "Targets (issue 5): no CPU tick at all for the 20 frozen services; first request from frozen "
                            + "p50 under 5 ms.",
                    "",
                    "Takes about 4 minutes (a 60 s window per boot); --quick about 1.5 minutes. Needs root and "
                            + "cgroups with a freezer.",
                    "",
                    "Writes bench/results/idle.json in this checkout (or --out). Exit status 1 when a boot failed "
                            + "to run (its figures say why). A missed target is a result, not a failure."})
    static final class Idle implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run: a 10 s window.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/idle.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return IdleBench.run(quick, out != null ? out : IdleBench.defaultOutput(), System.out);
        }
    }

    @Command(name = "policy", mixinStandardHelpOptions = true,
            description = {
                    "The learned policies against fixed thresholds, offline (docs/policy.md, policy/README.md).",
                    "",
                    "Generates labelled traces (healthy, noisy, leaks, hangs, storms, crash loops), trains policy 1 "
                            + "(anomaly) and policy 2 (failure within 30 s) on 30 seeds' traces, and replays them "
                            + "and the fixed thresholds (systemd-oomd-like pressure, static rate limits, the "
                            + "Engine's leak rule) over 50 held-out seeds' traces. No system is booted.",
                    "",
                    "Measured: recall, precision and median lead time of each. Targets (issue 7): higher recall "
                            + "than each fixed threshold at equal or better precision, and a positive median lead.",
                    "",
                    "Takes about 2 minutes; --quick (8 seeds each) about 30 s.",
                    "",
                    "Writes bench/results/policy.json in this checkout (or --out). A missed target is a result, "
                            + "not a failure."})
    static final class Policy implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run: 8 seeds to train on, 8 held out.")
        boolean quick;

        @Option(names = "--live", description = "The policies acting in a live system instead, on against off: "
                + "two boots of bench-policy-live (a slow leak, a sensor at 20,000 readings/s), about 10 minutes; "
                + "writes bench/results/policy-live.json.")
        boolean live;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/policy.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (live) {
                return PolicyLiveBench.run(out != null ? out : PolicyLiveBench.defaultOutput(), System.out);
            }
            return PolicyBench.run(quick, out != null ? out : PolicyBench.defaultOutput(), System.out);
        }
    }

    @Command(name = "fuse", mixinStandardHelpOptions = true,
            description = {
                    "The FUSE driver (drivers/fs): run directly against hosted by Atomic, and killed under load.",
                    "",
                    "Extracts a tar archive of a few hundred files through the mount, checks their SHA-256, writes "
                            + "files and reads them back: through the driver as a plain root process mounting its "
                            + "own session, then through the same driver in a booted bench-fuse system, with no "
                            + "kill, one SIGKILL of the driver and ten.",
                    "",
                    "Targets (issue 6): hosted workload time within 10 % of direct; no application-visible error "
                            + "with 0, 1 or 10 kills.",
                    "",
                    "Takes about a minute on a quiet host, 3 on a loaded one. Needs root and /dev/fuse.",
                    "",
                    "Writes bench/results/fuse.json in this checkout (or --out). Exit status 1 when it could not "
                            + "run. A missed target is a result, not a failure."})
    static final class Fuse implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run: a smaller archive, fewer rounds.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/fuse.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return FuseBench.run(quick, out != null ? out : FuseBench.defaultOutput(), System.out);
        }
    }

    @Command(name = "recovery", mixinStandardHelpOptions = true,
            description = {
                    "Recovery from kill -9: a warm spare, a cold restart and a systemd-style restart.",
                    "",
                    "Boots bench-recovery-warm (the responder has a warm spare), then bench-recovery-cold (none: a "
                            + "new host JVM with the AOT cache), and kills the responder 100 times in each while a "
                            + "client calls it back to back; then plays systemd (100 ms, then a fresh JVM) with a "
                            + "plain JVM echo server on a Unix socket, 100 times.",
                    "",
                    "Measured: from the SIGKILL to the first successful reply the client sees after a failed call; "
                            + "p50 and max per setting. Targets (issue 5): warm spare p50 under 10 ms; cold p50 "
                            + "under 150 ms.",
                    "",
                    "Takes about 8 minutes; --quick about 1.5 minutes.",
                    "",
                    "Writes bench/results/recovery.json in this checkout (or --out). Exit status 1 when a setting "
                            + "could not be measured (its figures say why). A missed target is a result, not a "
                            + "failure."})
    static final class Recovery implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run: 5 kills per setting.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/recovery.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return RecoveryBench.run(quick, out != null ? out : RecoveryBench.defaultOutput(), System.out);
        }
    }

    @Command(name = "storm", mixinStandardHelpOptions = true,
            description = {
                    "The event path under an interrupt storm: the input and sensor drivers in a real boot.",
                    "",
                    "Measured, side by side in one run: CPU per event (Engine and receiver, from their cgroups) "
                            + "with the Engine coalescing and, in a second boot, without; a key press's end-to-end "
                            + "latency (a critical event) quiet and during sensor storms, each storm run until the "
                            + "Engine cuts the sensor off; and how long the Sovereign's orders wait to be served "
                            + "during the storms.",
                    "",
                    "Takes about 4 minutes on a quiet host (storms last longer on a loaded one); --quick about 2 minutes.",
                    "",
                    "Exit status 1 when a side failed to run (its figures say why). A missed target is a result, "
                            + "not a failure."})
    static final class Storm implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run: shorter phases, one storm.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/storm.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return StormBench.run(quick, out != null ? out : StormBench.defaultOutput(), System.out);
        }
    }

    @Command(name = "boot", mixinStandardHelpOptions = true,
            description = {
                    "How long 'atomic boot' takes to have the default system ready and its console answering.",
                    "",
                    "Boots the built-in default system as the atomic launcher does, in a home of its own: once to "
                            + "make its release, deployment and AOT caches (not measured), then 5 times, each timed "
                            + "from the launch of the command to its 'ready in ... ms, console answering' line and "
                            + "stopped. After each, the baseline: the same components' JVMs started plainly, "
                            + "systemd-style, one after the other (no Vault, no sandbox, no Engine).",
                    "",
                    "Target (issue 6): ready, console answering, in under 3 s.",
                    "",
                    "Takes about 2 minutes on a quiet host; --quick (2 boots) about 1 minute. Needs root for the "
                            + "default system's file system driver.",
                    "",
                    "Writes bench/results/boot.json in this checkout (or --out). Exit status 1 when a side failed "
                            + "to run (its figure says why). A missed target is a result, not a failure."})
    static final class Boot implements Callable<Integer> {
        @Option(names = "--quick", description = "A smoke run: 2 measured boots.")
        boolean quick;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the results (default: bench/results/boot.json in this checkout).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return BootBench.run(quick, out != null ? out : BootBench.defaultOutput(), System.out);
        }
    }
}
